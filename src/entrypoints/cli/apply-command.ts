import { parseArgs } from 'node:util';
import type { SmtpConfig } from '../../config.js';
import type { AuditLog } from '../../core/audit/audit-event.js';
import type { Notifier } from '../../core/notify/notifier.js';
import { countResults } from '../../core/plan/compute-apply-events.js';
import type { ActionResult } from '../../core/plan/compute-apply-events.js';
import { describeAction, formatPlanText, formatViolation } from '../../core/plan/format-plan.js';
import { locatePlanCauses } from '../../core/plan/locate-plan-causes.js';
import { describeConflict, describeNotice } from '../../core/plan/plan-findings.js';
import { UsageError } from '../../errors.js';
import { assertNever } from '../../core/plan/action.js';
import { generatePassword as generateCsprngPassword } from '../../adapters/crypto/generate-password.js';
import { openReconcileAuditLog } from '../../services/reconcile/open-reconcile-audit-log.js';
import type { PrepareOptions } from '../../services/reconcile/prepare-plan.js';
import { reconcile } from '../../services/reconcile/reconcile.js';
import type { ReconcileOutcome } from '../../services/reconcile/reconcile.js';
import { resolveAccessDir } from '../../adapters/fs/find-access-dir.js';
import { formatCount } from '../../core/format-count.js';
import { EXIT } from './cli-io.js';
import { colorizeReport, createStyle } from './style.js';
import type { CliIO } from './cli-io.js';
import { readNow } from './read-now.js';
import { appendStepSummary, describeSource, RECONCILE_OPTIONS } from './plan-command.js';
import type { HoldOverride } from '../../core/audit/approval-records.js';
import { formatApprovalCheckMarkdown, formatApprovalCheckText } from '../../core/audit/format-approval-check.js';
import { createProgress, createStatus } from './progress.js';
import { renderDiagnostics } from './validate-command.js';

export const APPLY_HELP = `Usage: aac apply [DIR] [--directory file:PATH] [--allow-mass-change] [--audit-log file:PATH] [--now TIME]

Computes the plan (as \`aac plan\`) and performs it: several writes in flight, membership
changes batched per group, every action idempotent, one failing entry not stopping the others.
New accounts get a temporary password that goes only to the notifier (AAC_SMTP_URL), which
sends it to the person's manager or sponsor. Every run is appended to the audit log.

  --directory SPEC       file:PATH for the embedded directory (default: LDAP from AAC_LDAP_URL)
  --ref REV              in a git checkout, apply the files as committed at REV (default HEAD);
                         uncommitted edits are never applied, and are mentioned
  --allow-mass-change    go ahead although the plan exceeds the policy's guards
  --concurrency N        writes in flight (default 32)
  --audit-log SPEC       git (the access-audit branch of the checkout; the default inside one)
                         or file:PATH (the default outside a checkout: .aac/audit.jsonl)
  --push-audit           push the audit branch to origin after appending
  --override-holds-by WHO --override-holds-reason WHY
                         provision what reconcile.requireApproval would hold back; both are
                         required and recorded (apply.override)
  --now TIME             judge expiry and the 72-hour rule at TIME (ISO 8601); AAC_NOW does the same
  --no-history           do not read git history for retired uids and emails

Exit status: 0 every action succeeded, 1 an action failed, a guard stopped the run, an identity
conflict stopped someone's actions, the files are invalid or the directory could not be read
completely; 2 a usage or configuration error (the directory's setup, TLS, timeouts).
`;

/** What to do about a directory full of entries no file declares, named whenever a guard stops a run that would lock them. */
export const ADOPT_HINT =
  "Entries that no person file declares would be locked. For an existing directory, run `aac adopt` to write person files for them (their groups mapped to the catalog's roles), or list them under reconcile.unmanaged in policy.yaml (DNs or an LDAP filter) so the reconciler never touches them.\n";

export interface ApplyDeps extends Pick<PrepareOptions, 'openDirectory'> {
  auditLog?: AuditLog;
  /** null: no notifier even if AAC_SMTP_URL is set. */
  notifier?: Notifier | null;
  generatePassword?: () => string;
}

export async function runApply(args: string[], io: CliIO, deps: ApplyDeps = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...RECONCILE_OPTIONS,
      'allow-mass-change': { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '32' },
      'audit-log': { type: 'string' },
      'push-audit': { type: 'boolean', default: false },
      'override-holds-by': { type: 'string' },
      'override-holds-reason': { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout(APPLY_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new UsageError('apply takes one directory');
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
    throw new UsageError('--concurrency must be a whole number from 1 to 256');
  const dir = resolveAccessDir(positionals[0], io.cwd);
  const override = readOverride(values['override-holds-by'], values['override-holds-reason']);
  const now = readNow(values.now, io.env);
  const startedAt = new Date().toISOString();
  const auditLog =
    deps.auditLog ??
    (await openReconcileAuditLog({
      cwd: io.cwd,
      accessDir: dir,
      push: values['push-audit'],
      ...(values['audit-log'] !== undefined ? { spec: values['audit-log'] } : {}),
    }));
  const progress = createProgress(io, 'applying');
  const reading = createProgress(io, 'reading files');
  const status = createStatus(io, 'apply');
  const outcome = await reconcile({
    prepare: {
      dir,
      auditLog,
      ...(override ? { override } : {}),
      onProgress: reading.update,
      onStage: (stage) => (reading.done(), status.step(stage)),
      cwd: io.cwd,
      env: io.env,
      now,
      history: !values['no-history'],
      ...(values.directory !== undefined ? { directory: values.directory } : {}),
      ...(values.ref !== undefined ? { ref: values.ref } : {}),
      ...(deps.openDirectory ? { openDirectory: deps.openDirectory } : {}),
    },
    auditLog,
    allowMassChange: values['allow-mass-change'],
    concurrency,
    generatePassword: deps.generatePassword ?? generateCsprngPassword,
    openNotifier: (smtp) => (deps.notifier !== undefined ? Promise.resolve(deps.notifier) : createNotifier(smtp)),
    startedAt,
    reporter: {
      onSource: (source) => io.stderr(describeSource('apply', source)),
      onApproval: (check) => io.stderr(formatApprovalCheckText(check)),
      onNoticeUndelivered: (uid, why) =>
        io.stderr(`aac apply: the supervisor of ${uid} was not told of the disable or delete: ${why}\n`),
      onApplying: (plan, notifier) => {
        status.done();
        const creates = plan.actions.filter((a) => a.type === 'create-account').length;
        if (creates > 0 && !notifier)
          io.stderr(
            `aac apply: AAC_SMTP_URL is not set: the temporary ${creates === 1 ? 'password of 1 new account is' : `passwords of ${creates} new accounts are`} sent to no one; reset ${creates === 1 ? 'it' : 'them'} at hand-over\n`,
          );
      },
      onProgress: progress.update,
      onAuditFailure: (message) => io.stderr(`aac apply: could not append to the audit log: ${message}\n`),
    },
  });
  const code = printOutcome(outcome, io, progress);
  return outcome.audited ? code : EXIT.failed;
}

/** Prints how the run ended and gives its exit status. */
function printOutcome(outcome: ReconcileOutcome, io: CliIO, progress: { done: () => void }): number {
  switch (outcome.status) {
    case 'invalid-files':
      io.stdout(
        colorizeReport(
          renderDiagnostics(outcome.loaded.result.diagnostics, 'text', outcome.loaded.files),
          createStyle(io),
        ),
      );
      io.stderr('aac apply: the access files have errors; nothing was applied\n');
      return EXIT.failed;
    case 'guarded': {
      io.stdout(
        colorizeReport(formatPlanText(locatePlanCauses(outcome.plan, outcome.loaded.result.sources)), createStyle(io)),
      );
      const undeclared = outcome.plan.actions.some((a) => a.type === 'lock-account' && a.reason === 'file-removed');
      io.stderr(
        `aac apply: stopped before any write: the plan exceeds the policy's guards:\n${outcome.violations.map((v) => `  ${formatViolation(v)}\n`).join('')}${undeclared ? ADOPT_HINT : ''}If this is intended, re-run with --allow-mass-change.\n`,
      );
      return EXIT.failed;
    }
    case 'applied': {
      progress.done();
      io.stdout(colorizeReport(formatResults(outcome.results), createStyle(io)));
      const { conflicts, notices } = outcome.plan;
      const findings = [...conflicts.map(describeConflict), ...notices.map(describeNotice)];
      if (findings.length > 0) io.stdout(`${findings.map((f) => `note: ${f}`).join('\n')}\n`);
      appendStepSummary(
        `${formatResultsMarkdown(outcome.results)}${formatApprovalCheckMarkdown(outcome.approval)}`,
        io.env,
      );
      // A conflict stopped someone's actions: the directory does not match the files.
      const failed = conflicts.length > 0 || outcome.results.some((r) => r.status === 'failed' || r.warning);
      return failed ? EXIT.failed : EXIT.ok;
    }
    default:
      return assertNever(outcome);
  }
}

/** `--override-holds-by` and `--override-holds-reason` come together, or not at all. */
function readOverride(by: string | undefined, reason: string | undefined): HoldOverride | undefined {
  if (by === undefined && reason === undefined) return undefined;
  if (!by?.trim() || !reason?.trim())
    throw new UsageError('--override-holds-by WHO and --override-holds-reason WHY go together, both non-empty');
  return { by: by.trim(), reason: reason.trim() };
}

/** One line per action with its outcome, then the counts. */
export function formatResults(results: readonly ActionResult[]): string {
  const mark = { done: 'done   ', already: 'already', failed: 'FAILED ', skipped: 'skipped' } as const;
  const lines = results.map(
    (r) =>
      `${mark[r.status]} ${describeAction(r.action)}${r.error ? `: ${r.error.code}: ${r.error.message}` : ''}${r.warning ? ` (warning ${r.warning.code}: ${r.warning.message})` : ''}`,
  );
  const c = countResults(results);
  const warnings = results.filter((r) => r.warning).length;
  lines.push(
    results.length === 0
      ? 'No changes: the directory matches the access files.'
      : `Applied ${formatCount(results.length, 'action')}: ${c.done} done, ${c.already} already in place, ${c.failed} failed, ${c.skipped} skipped${warnings ? `, ${warnings} with ${warnings === 1 ? 'a warning' : 'warnings'}` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}

/** The job summary of an apply: the counts, then every action that did not succeed. */
export function formatResultsMarkdown(results: readonly ActionResult[]): string {
  const c = countResults(results);
  let out = `### Directory apply\n\n${formatCount(results.length, 'action')}: ${c.done} done, ${c.already} already in place, ${c.failed} failed, ${c.skipped} skipped.\n`;
  const problems = results.filter((r) => r.status === 'failed' || r.status === 'skipped' || r.warning);
  if (problems.length > 0) {
    out += '\n| result | action | error |\n|---|---|---|\n';
    for (const r of problems)
      out += `| ${r.status} | ${describeAction(r.action).replace(/\|/g, '\\|')} | ${(r.error ?? r.warning)?.code ?? ''} |\n`;
  }
  return out;
}

async function createNotifier(smtp: SmtpConfig | undefined): Promise<Notifier | null> {
  if (!smtp) return null;
  const { SmtpNotifier } = await import('../../adapters/notify/smtp-notifier.js');
  return new SmtpNotifier(smtp);
}
