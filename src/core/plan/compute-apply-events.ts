import { approvalDetail } from '../audit/approval-records.js';
import type { ApprovalCheck } from '../audit/approval-records.js';
import type { AuditAppliedSource, AuditDetails, AuditEvent } from '../audit/audit-event.js';
import { actionSubject, assertNever } from './action.js';
import type { Action } from './action.js';

/** How one action ended. `already` means the directory was already in the desired state (idempotent retry). */
export type ActionStatus = 'done' | 'already' | 'failed' | 'skipped';

/** The outcome of one action: apply returns exactly one per action of the plan, in plan order. */
export interface ActionResult {
  action: Action;
  status: ActionStatus;
  /** For `failed` and `skipped`: a stable code (e.g. `NoSuchObjectError`, `connection-lost`) and a message without secrets. */
  error?: { code: string; message: string };
  /** Something that went wrong after the write succeeded (e.g. the notification of a new account). */
  warning?: { code: string; message: string };
}

/** What an apply read its files from: a commit (and its tree), or a folder outside git. */
export type AppliedSource =
  | { kind: 'commit'; ref: string; commit: string; tree: string; uncommitted: readonly string[] }
  | { kind: 'working-tree' };

export interface ApplyEventOptions {
  /** ISO 8601 time of the run. */
  time: string;
  actor: string;
  /** Where the access files applied came from; absent when the run stopped before knowing. */
  source?: AppliedSource;
  /** The approval check of the run (`approval` detail: what was held, for the next run). */
  approval?: ApprovalCheck;
}

/** The record's `commit` and the `source` detail: commit and tree SHAs, or that no commit is recorded. */
function sourceFields(
  source: AppliedSource | undefined,
): { commit?: string; details: { source: AuditAppliedSource } } | { details: Record<string, never> } {
  if (!source) return { details: {} };
  if (source.kind === 'working-tree')
    return { details: { source: { commit: null, reason: 'not a git checkout: the files on disk were applied' } } };
  return {
    commit: source.commit,
    details: {
      source: {
        commit: source.commit,
        tree: source.tree,
        ref: source.ref,
        uncommittedIgnored: source.uncommitted.length,
      },
    },
  };
}

/** Counts of results by status. */
export function countResults(results: readonly ActionResult[]): Record<ActionStatus, number> {
  const counts: Record<ActionStatus, number> = { done: 0, already: 0, failed: 0, skipped: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/**
 * The audit events of an apply run: one `apply.completed` with every action's result, plus one
 * `grant.expired`, `drift.reverted` and `account.locked` per fact that actually happened. Passwords
 * are never part of actions, so never part of events. Pure.
 */
export function computeApplyEvents(results: readonly ActionResult[], options: ApplyEventOptions): AuditEvent[] {
  const fields = sourceFields(options.source);
  const base = { time: options.time, actor: options.actor, ...('commit' in fields ? { commit: fields.commit } : {}) };
  const completed: AuditDetails['apply.completed'] = {
    ...fields.details,
    ...(options.approval ? { approval: approvalDetail(options.approval) } : {}),
    actions: results.map((r) => ({
      type: r.action.type,
      subject: actionSubject(r.action),
      result: r.status === 'already' ? 'done' : r.status,
      ...(r.error ? { error: { code: r.error.code, message: r.error.message } } : {}),
      ...recordedChange(r.action),
    })),
    counts: { ...countResults(results), actions: results.length },
  };
  const events: AuditEvent[] = [{ ...base, type: 'apply.completed', details: completed }];
  for (const r of results) {
    if (r.status !== 'done' && r.status !== 'already') continue;
    const action = r.action;
    if (action.type === 'lock-account') {
      // The key says later runs whose lock this is: only aac's own locks are lifted by aac.
      const details: AuditDetails['account.locked'] = {
        uid: action.account.uid,
        reason: action.reason,
        key: action.account.key,
      };
      events.push({ ...base, type: 'account.locked', subject: action.account.uid, details });
    }
    if (action.type === 'unlock-account') {
      const details: AuditDetails['account.unlocked'] = { uid: action.account.uid, key: action.account.key };
      events.push({ ...base, type: 'account.unlocked', subject: action.account.uid, details });
    }
    if (action.type !== 'update-members') continue;
    for (const removal of action.remove) {
      if (removal.reason === 'expired' && removal.grant) {
        const details: AuditDetails['grant.expired'] = { ...removal.grant };
        events.push({
          ...base,
          type: 'grant.expired',
          subject: removal.uid ?? removal.dn,
          details: { ...details, group: action.group },
        });
      } else if (removal.reason === 'revoked' && removal.revoked) {
        const details: AuditDetails['grant.revoked'] = { ...removal.revoked, group: action.group };
        events.push({ ...base, type: 'grant.revoked', subject: removal.uid ?? removal.dn, details });
      } else if (removal.reason === 'drift') {
        const details: AuditDetails['drift.reverted'] = {
          group: action.group,
          member: removal.uid ?? removal.dn,
          action: 'removed',
        };
        events.push({ ...base, type: 'drift.reverted', subject: removal.uid ?? removal.dn, details });
      }
    }
  }
  return events;
}

/**
 * What `apply.completed` records of an action beyond its type and subject, so that later runs know
 * what aac did (see `computeReconcilerMemory`): the new name of a rename, the uids a group gained
 * and lost. Uids only: never a password.
 */
function recordedChange(action: Action): { to?: string; added?: string[]; removed?: string[] } {
  switch (action.type) {
    case 'rename-account':
      return { to: action.newUid };
    case 'rename-group':
      return { to: action.group };
    case 'create-group':
      return action.members.length > 0 ? { added: action.members.map((m) => m.uid) } : {};
    case 'update-members': {
      const removed = action.remove.flatMap((r) => (r.uid === undefined ? [] : [r.uid]));
      return {
        ...(action.add.length > 0 ? { added: action.add.map((m) => m.uid) } : {}),
        ...(removed.length > 0 ? { removed } : {}),
      };
    }
    case 'create-account':
    case 'update-account':
    case 'unlock-account':
    case 'lock-account':
    case 'delete-account':
      return {};
    default:
      return assertNever(action);
  }
}

/** The event of a run that stopped before writing (guards, a failed read, bad files). */
export function computeApplyFailedEvent(
  error: { code: string; message: string },
  options: ApplyEventOptions,
  counts?: Record<string, number>,
): AuditEvent {
  const fields = sourceFields(options.source);
  const details: AuditDetails['apply.failed'] = {
    ...fields.details,
    error: { code: error.code, message: error.message },
    ...(counts ? { counts } : {}),
  };
  return {
    time: options.time,
    actor: options.actor,
    ...('commit' in fields ? { commit: fields.commit } : {}),
    type: 'apply.failed',
    details,
  };
}
