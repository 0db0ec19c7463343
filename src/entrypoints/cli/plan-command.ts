import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readCliSettings } from '../../config.js';
import { formatPlanJson, formatPlanMarkdown, formatPlanText } from '../../core/plan/format-plan.js';
import { locatePlanCauses } from '../../core/plan/locate-plan-causes.js';
import { InputError, UsageError } from '../../errors.js';
import { preparePlan } from '../../services/reconcile/prepare-plan.js';
import type { PrepareOptions } from '../../services/reconcile/prepare-plan.js';
import type { AccessSource } from '../../services/reconcile/resolve-access-source.js';
import { resolveAccessDir } from '../../adapters/fs/find-access-dir.js';
import { openReconcileAuditLog } from '../../services/reconcile/open-reconcile-audit-log.js';
import { approvalDetail } from '../../core/audit/approval-records.js';
import type { ApprovalCheck } from '../../core/audit/approval-records.js';
import type { AuditLog } from '../../core/audit/audit-event.js';
import {
  formatApprovalCheckMarkdown,
  formatApprovalCheckText,
  isApprovalNote,
} from '../../core/audit/format-approval-check.js';
import { EXIT } from './cli-io.js';
import { createProgress, createStatus } from './progress.js';
import { colorizeReport, createStyle } from './style.js';
import type { CliIO } from './cli-io.js';
import { readNow } from './read-now.js';
import { renderDiagnostics } from './validate-command.js';
import { parseFormat } from './parse-format.js';

export const PLAN_HELP = `Usage: aac plan [DIR] [--format text|json|markdown] [--exit-code] [--directory file:PATH] [--now TIME]

Reads the access files in DIR (default: access) and the directory, and prints what \`aac apply\`
would change. Nothing is written. The directory is LDAP from AAC_LDAP_URL (see README), or the
embedded file directory with --directory file:PATH.

  --format text       one line per change with the file:line:column that causes it (default)
  --format json       {summary, violations, conflicts, notices, observed, actions}
  --format markdown   a table; also appended to $GITHUB_STEP_SUMMARY when that is set
  --exit-code         exit 2 when there are changes, 0 when none, 1 on any error
  --directory SPEC    file:PATH for the embedded directory
  --ref REV           in a git checkout, plan the files as committed at REV (default HEAD);
                      uncommitted edits are never part of a plan, and are mentioned
  --audit-log SPEC    the audit log, read for approvals (reconcile.requireApproval) and to know
                      which locks and memberships are aac's: git (the access-audit branch, else
                      origin/access-audit) or file:PATH
  --now TIME          judge expiry and the 72-hour rule at TIME (ISO 8601); AAC_NOW does the same
  --no-history        do not read git history for retired uids and emails

Exit status: 0 done, 1 invalid files, a directory error or an identity conflict, 2 usage or
configuration error. With --exit-code, as Terraform's -detailed-exitcode: 0 no changes, 2 changes
pending, and 1 for every error, usage and configuration errors included (never 2).
`;

/** Options shared by plan and apply. */
export const RECONCILE_OPTIONS = {
  directory: { type: 'string' },
  ref: { type: 'string' },
  now: { type: 'string' },
  'no-history': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runPlan(
  args: string[],
  io: CliIO,
  deps: Pick<PrepareOptions, 'openDirectory'> & { auditLog?: Pick<AuditLog, 'read'> } = {},
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...RECONCILE_OPTIONS,
      format: { type: 'string', default: 'text' },
      'exit-code': { type: 'boolean', default: false },
      'audit-log': { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout(PLAN_HELP);
    return EXIT.ok;
  }
  const format = parseFormat(values.format, ['text', 'json', 'markdown'] as const);
  if (positionals.length > 1) throw new UsageError('plan takes one directory');

  const dir = resolveAccessDir(positionals[0], io.cwd);
  const { auditLog, ...substitutes } = deps;
  const progress = createProgress(io, 'reading files');
  const status = createStatus(io, 'plan');
  const prepared = await preparePlan({
    dir,
    auditLog:
      auditLog ??
      (await openReconcileAuditLog({
        cwd: io.cwd,
        accessDir: dir,
        push: false,
        ...(values['audit-log'] !== undefined ? { spec: values['audit-log'] } : {}),
      })),
    onProgress: progress.update,
    onStage: (stage) => (progress.done(), status.step(stage)),
    cwd: io.cwd,
    env: io.env,
    now: readNow(values.now, io.env),
    history: !values['no-history'],
    ...(values.directory !== undefined ? { directory: values.directory } : {}),
    ...(values.ref !== undefined ? { ref: values.ref } : {}),
    ...substitutes,
  }).finally(() => (progress.done(), status.done()));
  io.stderr(describeSource('plan', prepared.source));
  if (!prepared.ok) {
    io.stdout(
      colorizeReport(
        renderDiagnostics(prepared.loaded.result.diagnostics, 'text', prepared.loaded.files),
        createStyle(io),
      ),
    );
    return EXIT.failed;
  }
  await prepared.directory.close();
  const plan = locatePlanCauses(prepared.plan, prepared.loaded.result.sources);
  const approval = prepared.approval;
  io.stdout(
    format === 'json'
      ? formatPlanJsonWithApproval(plan, approval)
      : format === 'markdown'
        ? `${formatPlanMarkdown(plan)}${formatApprovalCheckMarkdown(approval)}`
        : colorizeReport(
            `${formatPlanText(plan)}${isApprovalNote(approval) ? '' : formatApprovalCheckText(approval)}`,
            createStyle(io),
          ),
  );
  if (isApprovalNote(approval)) io.stderr(formatApprovalCheckText(approval));
  appendStepSummary(`${formatPlanMarkdown(plan)}${formatApprovalCheckMarkdown(approval)}`, io.env);
  // An identity conflict stops someone's actions: the directory does not match the files.
  if (plan.conflicts.length > 0) return EXIT.failed;
  return values['exit-code'] && plan.actions.length > 0 ? EXIT.changes : EXIT.ok;
}

/** The plan's JSON with the approval check beside it (`approval`: mode, held, approved, released). */
function formatPlanJsonWithApproval(plan: Parameters<typeof formatPlanJson>[0], approval: ApprovalCheck): string {
  const value = JSON.parse(formatPlanJson(plan)) as Record<string, unknown>;
  return `${JSON.stringify({ ...value, approval: approvalDetail(approval) }, null, 2)}\n`;
}

/**
 * What the run reads, for stderr: nothing to say for a clean checkout; the uncommitted edits
 * that are left out; or that outside git no commit is recorded.
 */
export function describeSource(command: 'plan' | 'apply', source: AccessSource): string {
  if (source.kind === 'working-tree')
    return `aac ${command}: not in a git checkout: the files on disk are ${command === 'apply' ? 'applied, and no commit is recorded for this run' : 'planned (no commit)'}\n`;
  if (source.uncommitted.length === 0) return '';
  const shown = source.uncommitted.slice(0, 5).join(', ');
  const more = source.uncommitted.length > 5 ? ` and ${source.uncommitted.length - 5} more` : '';
  return `aac ${command}: ${source.uncommitted.length} uncommitted change(s) under ${source.root} (${shown}${more}) are not part of this ${command}: it uses commit ${source.commit.slice(0, 12)} (${source.ref}); commit them first\n`;
}

/** Appends Markdown to the GitHub Actions job summary, when running in Actions. */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv): void {
  const path = readCliSettings(env).stepSummary;
  if (!path) return;
  try {
    appendFileSync(path, `${markdown}\n`);
  } catch (error) {
    throw new InputError(
      `cannot write the job summary $GITHUB_STEP_SUMMARY: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}
