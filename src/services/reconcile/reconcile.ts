import type { SmtpConfig } from '../../config.js';
import type { AuditEvent, AuditLog } from '../../core/audit/audit-event.js';
import { computeDeprovisioningNotices } from '../../core/notify/compute-deprovisioning-notices.js';
import type { Notifier } from '../../core/notify/notifier.js';
import { computeApplyEvents, computeApplyFailedEvent } from '../../core/plan/compute-apply-events.js';
import type { ActionResult, ApplyEventOptions } from '../../core/plan/compute-apply-events.js';
import type { Plan } from '../../core/plan/compute-plan.js';
import type { GuardViolation } from '../../core/plan/compute-guard-violations.js';
import { formatViolation } from '../../core/plan/format-plan.js';
import { DirectoryError } from '../../errors.js';
import type { LoadedTree } from '../load-access-tree.js';
import { applyPlan } from './apply-plan.js';
import { preparePlan } from './prepare-plan.js';
import type { PrepareOptions } from './prepare-plan.js';
import type { AccessSource } from './resolve-access-source.js';
import { computeApprovalEvents } from '../../core/audit/approval-records.js';
import type { ApprovalCheck } from '../../core/audit/approval-records.js';
import type { HeldItem } from '../../core/audit/compute-approval-holds.js';

/** What one reconcile run needs; the caller (CLI, workflow, lifecycle) chose every value. */
export interface ReconcileOptions {
  /** Where the files and the directory come from (see preparePlan). */
  prepare: PrepareOptions;
  /** Where the run is recorded, whatever happens. */
  auditLog: AuditLog;
  /** Go ahead although the plan exceeds the policy's guards. */
  allowMassChange: boolean;
  /** Writes in flight at once. */
  concurrency: number;
  /** A fresh temporary password per new account (a CSPRNG). */
  generatePassword: () => string;
  /** The notifier for the SMTP settings found (null: none), opened only once the plan is known to be applied. */
  openNotifier: (smtp: SmtpConfig | undefined) => Promise<Notifier | null>;
  /** ISO 8601 time the run started: the time of its audit records. */
  startedAt: string;
  /** Told as the run goes, for a terminal or a job summary; never decides anything. */
  reporter?: ReconcileReporter;
}

export interface ReconcileReporter {
  /** The files were read, from this commit or folder. */
  onSource?(source: AccessSource): void;
  /** The approval check is done (reconcile.requireApproval): what is held back, if anything. */
  onApproval?(check: ApprovalCheck): void;
  /** The plan is about to be applied; `notifier` says whether temporary passwords reach anyone. */
  onApplying?(plan: Plan, notifier: boolean): void;
  onProgress?(done: number, total: number): void;
  /** The supervisor of a disabled or deleted account could not be told. */
  onNoticeUndelivered?(uid: string, why: string): void;
  /** The run's record could not be appended: the run then counts as failed. */
  onAuditFailure?(message: string): void;
}

/** How a run ended; each case carries what the caller prints. */
export type ReconcileOutcome =
  /** The access files have errors: nothing was read from or written to the directory. */
  | { status: 'invalid-files'; loaded: LoadedTree; audited: boolean }
  /** The plan exceeds the guards and no override was given: nothing was written. */
  | { status: 'guarded'; plan: Plan; loaded: LoadedTree; violations: GuardViolation[]; audited: boolean }
  /** Every action was attempted; one result per action of the plan, in plan order. */
  | { status: 'applied'; plan: Plan; results: ActionResult[]; approval: ApprovalCheck; audited: boolean };

type Calculated =
  | { outcome: Exclude<ReconcileOutcome, { status: 'applied' }>; failure: { code: string; message: string } }
  | { outcome: Extract<ReconcileOutcome, { status: 'applied' }> };

/**
 * One reconcile run, as entitlements-app runs one: calculate the plan (read and validate the
 * files, read the directory), stop there when the files are invalid or a guard trips, else
 * execute it; and, in `finally`, record what happened in the audit log (`apply.completed` with
 * every result and the approval check, or `apply.failed` with why, after `apply.baseline`,
 * `apply.held` and `apply.override` records of the check), even when the run throws. An error thrown by the run
 * is rethrown after the record is written.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileOutcome> {
  let source: AccessSource | undefined;
  let approval: { check: ApprovalCheck; previouslyHeld: HeldItem[] } | undefined;
  let noticeEvents: AuditEvent[] = [];
  let calculated: Calculated | undefined;
  let failure: { code: string; message: string } = { code: 'interrupted', message: 'the run stopped' };
  let thrown: unknown;
  try {
    calculated = await calculateAndExecute(options, {
      source: (s) => (source = s),
      approval: (a) => (approval = a),
      notices: (events) => (noticeEvents = events),
    });
    if ('failure' in calculated) failure = calculated.failure;
  } catch (error) {
    thrown = error;
    failure = failureOf(error);
  }
  const eventOptions: ApplyEventOptions = {
    time: options.startedAt,
    actor: 'aac-reconciler',
    ...(source ? { source } : {}),
  };
  const applied = calculated?.outcome.status === 'applied' ? calculated.outcome : undefined;
  const checked = approval
    ? computeApprovalEvents(approval.check, approval.previouslyHeld, {
        time: options.startedAt,
        actor: 'aac-reconciler',
        ...(source?.kind === 'commit' ? { commit: source.commit } : {}),
      })
    : [];
  const audited = await appendRecord(options, [
    ...checked,
    ...(applied
      ? computeApplyEvents(applied.results, { ...eventOptions, ...(approval ? { approval: approval.check } : {}) })
      : [computeApplyFailedEvent(failure, eventOptions)]),
    ...noticeEvents,
  ]);
  if (thrown !== undefined || calculated === undefined) throw thrown;
  return { ...calculated.outcome, audited };
}

async function calculateAndExecute(
  options: ReconcileOptions,
  found: {
    source: (s: AccessSource) => void;
    approval: (a: { check: ApprovalCheck; previouslyHeld: HeldItem[] }) => void;
    notices: (events: AuditEvent[]) => void;
  },
): Promise<Calculated> {
  const prepared = await preparePlan(options.prepare);
  found.source(prepared.source);
  options.reporter?.onSource?.(prepared.source);
  if (!prepared.ok)
    return {
      outcome: { status: 'invalid-files', loaded: prepared.loaded, audited: false },
      failure: { code: 'invalid-files', message: 'the access files have errors; nothing was applied' },
    };
  found.approval({ check: prepared.approval, previouslyHeld: prepared.previouslyHeld });
  options.reporter?.onApproval?.(prepared.approval);
  let notifier: Notifier | null = null;
  try {
    const { plan } = prepared;
    if (plan.violations.length > 0 && !options.allowMassChange)
      return {
        outcome: { status: 'guarded', plan, loaded: prepared.loaded, violations: plan.violations, audited: false },
        failure: { code: 'guard', message: plan.violations.map(formatViolation).join('; ') },
      };
    notifier = await options.openNotifier(prepared.config.smtp);
    options.reporter?.onApplying?.(plan, notifier !== null);
    const active = notifier;
    const results = await applyPlan(plan, {
      directory: prepared.directory,
      generatePassword: options.generatePassword,
      concurrency: options.concurrency,
      ...(options.reporter?.onProgress ? { onProgress: options.reporter.onProgress } : {}),
      ...(active
        ? {
            onAccountCreated: (action, password) =>
              active.notifyAccountCreated({ uid: action.uid, provisioning: action.provisioning }, password),
          }
        : {}),
    });
    const notices = await sendDeprovisioningNotices(results, prepared, active, options);
    found.notices(notices);
    return { outcome: { status: 'applied', plan, results, approval: prepared.approval, audited: false } };
  } finally {
    await prepared.directory.close();
    await notifier?.close();
  }
}

/** Appends the run's events; a failure is reported, never thrown over the run's own outcome. */
async function appendRecord(options: ReconcileOptions, events: Parameters<AuditLog['append']>[0]): Promise<boolean> {
  try {
    await options.auditLog.append(events);
    return true;
  } catch (error) {
    options.reporter?.onAuditFailure?.(error instanceof Error ? error.message : String(error));
    return false;
  }
}

function failureOf(error: unknown): { code: string; message: string } {
  return {
    code: error instanceof DirectoryError ? error.code : error instanceof Error ? error.name : 'error',
    message: error instanceof Error ? error.message : String(error),
  };
}

/**
 * Tells the supervisor of each account this run disabled or deleted (seed 002, 3.2 steps 5-6), and
 * returns the `notice.sent` records. A notice that cannot be sent (no notifier, no supervisor, a
 * mail error) is recorded as undeliverable and reported, never silently dropped.
 */
async function sendDeprovisioningNotices(
  results: readonly ActionResult[],
  prepared: Extract<Awaited<ReturnType<typeof preparePlan>>, { ok: true }>,
  notifier: Notifier | null,
  options: ReconcileOptions,
): Promise<AuditEvent[]> {
  const commit = prepared.source.kind === 'commit' ? prepared.source.commit : null;
  const notices = computeDeprovisioningNotices(results, prepared.loaded.result.tree, {
    commit,
    date: options.startedAt,
  });
  const events: AuditEvent[] = [];
  for (const n of notices) {
    let undeliverable = n.undeliverable ?? (notifier ? undefined : 'no mail server is configured (AAC_SMTP_URL)');
    if (undeliverable === undefined && notifier) {
      try {
        await notifier.send(n.notice);
      } catch (error) {
        undeliverable = `the mail could not be sent: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (undeliverable !== undefined) options.reporter?.onNoticeUndelivered?.(n.uid, undeliverable);
    events.push({
      time: options.startedAt,
      actor: 'aac-reconciler',
      type: 'notice.sent',
      subject: n.uid,
      ...(commit ? { commit } : {}),
      details: {
        notice: n.notice.template,
        key: `${n.notice.template}:${n.uid}:${commit ?? options.startedAt}`,
        to: undeliverable === undefined ? n.notice.to : [],
        uid: n.uid,
        ...(undeliverable !== undefined ? { undeliverable } : {}),
      },
    });
  }
  return [...events, ...handoverEvents(results, prepared, notifier, options, commit)];
}

/**
 * One `notice.sent` per account created: to whom the temporary password went (never the password),
 * or why it went to nobody, so 3.5.9 evidence can show a password nobody handed over.
 */
function handoverEvents(
  results: readonly ActionResult[],
  prepared: Extract<Awaited<ReturnType<typeof preparePlan>>, { ok: true }>,
  notifier: Notifier | null,
  options: ReconcileOptions,
  commit: string | null,
): AuditEvent[] {
  const fallback = prepared.config.smtp?.handoverFallback;
  return results.flatMap((r): AuditEvent[] => {
    if (r.action.type !== 'create-account' || r.status !== 'done') return [];
    const to = r.action.provisioning.handoverTo?.email ?? fallback;
    const undeliverable = !notifier
      ? 'no mail server is configured (AAC_SMTP_URL)'
      : r.warning
        ? r.warning.message
        : to === undefined
          ? 'nobody to hand the password to'
          : undefined;
    return [
      {
        time: options.startedAt,
        actor: 'aac-reconciler',
        type: 'notice.sent',
        subject: r.action.uid,
        ...(commit ? { commit } : {}),
        details: {
          notice: 'temporary-password',
          key: `temporary-password:${r.action.uid}:${commit ?? options.startedAt}`,
          to: undeliverable === undefined && to !== undefined ? [to] : [],
          uid: r.action.uid,
          ...(undeliverable !== undefined ? { undeliverable } : {}),
        },
      },
    ];
  });
}
