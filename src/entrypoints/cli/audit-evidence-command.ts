import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sha256Node } from '../../adapters/crypto/sha256-node.js';
import { readRetiredIdentities } from '../../adapters/git/read-retired-identities.js';
import { computeAccessOverview } from '../../core/audit/compute-access-overview.js';
import { computeEvidence } from '../../core/audit/compute-evidence.js';
import { formatEvidenceMarkdown } from '../../core/audit/format-evidence-markdown.js';
import { readAuditBranchFacts } from './audit-verify-command.js';
import { computeRequestTimelines } from '../../core/audit/compute-request-timelines.js';
import { verifyAuditTrail } from '../../core/audit/verify-audit-trail.js';
import { InternalError, UsageError } from '../../errors.js';
import { AUDIT_OPTIONS, AUDIT_OPTIONS_HELP, auditContext, auditLogName } from './audit-options.js';
import { readAuditData } from './audit-data.js';
import { formatCount } from '../../core/format-count.js';
import { EXIT } from './cli-io.js';
import { createStatus } from './progress.js';
import type { CliIO } from './cli-io.js';
import { readNow } from './read-now.js';

export const AUDIT_EVIDENCE_HELP = `Usage: aac audit evidence --out DIR [options]

Writes, for each NIST SP 800-171 rev. 2 requirement this repository supports (3.1.1, 3.1.4,
3.1.5, 3.1.7, 3.3.1, 3.3.2, 3.3.8, 3.5.5, 3.5.6, 3.5.9), DIR/<control>.md with what evidences
it, from the real data: approvals, separation-of-duties checks, the privileged access list,
the audit log's integrity and commit signatures, the identifier reuse check and account locks.
Also DIR/index.md and DIR/evidence.json (all controls, machine-readable).

  --out DIR          where to write (created if missing)
  --access DIR       the access folder in the repository (default: access)
  --now TIME         the time the evidence is as of (ISO 8601; AAC_NOW does the same)
${AUDIT_OPTIONS_HELP}
Exit status: 0 written (gaps are listed in the files and on standard output), 2 usage or I/O error.
`;

export async function runAuditEvidence(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...AUDIT_OPTIONS,
      out: { type: 'string' },
      access: { type: 'string', default: 'access' },
      now: { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout(AUDIT_EVIDENCE_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError('audit evidence takes no arguments');
  if (!values.out) throw new UsageError('--out DIR is required');
  const now = readNow(values.now, io.env);
  const ctx = await auditContext(values, io, 'audit evidence');
  const status = createStatus(io, 'audit evidence');
  const accessRoot = values.access.replace(/\/+$/, '');
  const accessDir = join(ctx.repoDir, accessRoot);
  status.step('reading retired identities from history');
  const retired = existsSync(accessDir) ? await readRetiredIdentities(accessDir) : [];
  status.step(`reading the history of ${ctx.branch} and the audit log`);
  const data = await readAuditData(ctx, { accessRoot, now, retired, hashes: false, tree: 'validated' }); // verifyAuditTrail below checks every hash
  const validation = data.validation;
  if (!validation) throw new InternalError('readAuditData did not validate the tree it was asked to');
  const tree = validation.tree;
  status.step(
    `verifying ${formatCount(data.commits.length, 'commit')} and ${formatCount(data.records.length, 'audit record')}`,
  );
  const controls = computeEvidence({
    tree,
    diagnostics: validation.diagnostics,
    retiredCount: retired.length + (tree.policy?.value.tombstones.length ?? 0),
    verdict: verifyAuditTrail({
      commits: data.commits,
      records: data.records,
      places: data.places,
      unreadable: data.unreadable,
      hash: sha256Node,
      auditBranch: await readAuditBranchFacts(ctx),
    }),
    timelines: computeRequestTimelines(data.commits, data.records, { accessRoot }),
    records: data.records,
    overview: computeAccessOverview(tree),
    branch: ctx.branch,
    auditBranch: auditLogName(ctx),
    accessRoot,
  });

  status.step('writing the evidence files');
  const out = resolve(io.cwd, values.out);
  mkdirSync(out, { recursive: true });
  const meta = { generatedAt: new Date(now).toISOString(), branch: ctx.branch, auditBranch: auditLogName(ctx) };
  for (const c of controls) writeFileSync(join(out, `${c.control}.md`), formatEvidenceMarkdown(c, meta));
  const index = [
    `# NIST SP 800-171 rev. 2 evidence`,
    '',
    `Generated ${meta.generatedAt} from ${ctx.branch} and ${auditLogName(ctx)}.`,
    '',
    '| control | requirement | status | gaps |',
    '| --- | --- | --- | --- |',
    ...controls.map((c) => `| [${c.control}](${c.control}.md) | ${c.title} | ${c.status} | ${c.gaps.length} |`),
    '',
  ];
  writeFileSync(join(out, 'index.md'), index.join('\n'));
  writeFileSync(join(out, 'evidence.json'), `${JSON.stringify({ ...meta, controls }, null, 2)}\n`);
  status.done();
  for (const c of controls)
    io.stdout(
      `${c.control} ${c.status}${c.gaps.length > 0 ? ` (${formatCount(c.gaps.length, 'gap')})` : c.reason ? `: ${c.reason}` : ''}\n`,
    );
  io.stdout(`${controls.length} evidence files written to ${values.out}\n`);
  return EXIT.ok;
}
