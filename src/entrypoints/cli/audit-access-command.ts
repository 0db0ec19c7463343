import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSchemas } from '../../adapters/fs/load-schemas.js';
import { readAccessFilesAt } from '../../adapters/git/read-access-files-at.js';
import { renderAuditHtml } from '../../adapters/render/render-audit-html.js';
import { computeAccessOverview, computeAccessView } from '../../core/audit/compute-access-overview.js';
import { formatReportCsv, formatReportMarkdown } from '../../core/audit/format-report-view.js';
import { createSchemaChecker } from '../../core/validate/schema-diagnostics.js';
import { validateAccessTree } from '../../core/validate/validate-access-tree.js';
import { formatCount } from '../../core/format-count.js';
import { UsageError } from '../../errors.js';
import { AUDIT_OPTIONS, AUDIT_OPTIONS_HELP, auditContext, auditLogName } from './audit-options.js';
import { EXIT } from './cli-io.js';
import { createStatus } from './progress.js';
import type { CliIO } from './cli-io.js';
import { readNow } from './read-now.js';
import { parseFormat } from './parse-format.js';

export const AUDIT_ACCESS_HELP = `Usage: aac audit access [--format json|markdown|csv|html] [--out FILE] [options]

Who has what now, as committed on the branch: the access matrix (active people x systems),
privileged access, and external users per organization with their sponsors.

  --format FORMAT    json (default), markdown, csv (the matrix) or html
  --out FILE         write there instead of standard output
  --access DIR       the access folder in the repository (default: access)
  --now TIME         the time shown as "generated" (ISO 8601; AAC_NOW does the same)
${AUDIT_OPTIONS_HELP}`;

export async function runAuditAccess(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...AUDIT_OPTIONS,
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
      access: { type: 'string', default: 'access' },
      now: { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout(AUDIT_ACCESS_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError('audit access takes no arguments');
  const format = parseFormat(values.format, ['json', 'markdown', 'csv', 'html'] as const);
  const now = readNow(values.now, io.env);
  const ctx = await auditContext(values, io, 'audit access');
  const status = createStatus(io, 'audit access');
  const root = values.access.replace(/\/+$/, '');
  status.step(`reading ${root}/ on ${ctx.branch}`);
  const files = await readAccessFilesAt(ctx.repoDir, ctx.branch, root);
  status.step(`checking ${formatCount(files.length, 'file')}`);
  const { tree } = validateAccessTree({ root, files, checkSchema: createSchemaChecker(loadSchemas()), now });
  status.step('building the access matrix');
  const overview = computeAccessOverview(tree);
  const view = computeAccessView(overview);
  if (format === 'html') status.step('rendering the page');
  const text =
    format === 'json'
      ? `${JSON.stringify(overview, null, 2)}\n`
      : format === 'markdown'
        ? formatReportMarkdown(view)
        : format === 'csv'
          ? formatReportCsv(view)
          : renderAuditHtml({
              view,
              generatedAt: new Date(now).toISOString(),
              branch: ctx.branch,
              auditBranch: auditLogName(ctx),
            });
  status.done();
  if (!values.out) {
    io.stdout(text);
    return EXIT.ok;
  }
  writeFileSync(resolve(io.cwd, values.out), text);
  io.stderr(
    `${values.out}: ${formatCount(overview.matrix.rows.length, 'active person', 'active people')} across ${formatCount(overview.matrix.systems.length, 'system')}, ${formatCount(new Set(overview.privileged.map((p) => p.uid)).size, 'person', 'people')} with privileged access\n`,
  );
  return EXIT.ok;
}
