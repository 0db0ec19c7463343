/**
 * Approval holds as audit records: what the reconciler reads back (the last applied commit and
 * what it held; the approvals and merges the app recorded) and what it writes (`apply.baseline`,
 * `apply.held`, `apply.override`, and the `approval` detail of `apply.completed`). Pure.
 */
import type { AuditApprovalDetail, AuditApprovedItem, AuditEvent, AuditRecord } from './audit-event.js';
import { describeHeld, sameItem } from './compute-approval-holds.js';
import type { ApprovalFacts, ApprovedChange, ApprovedItem, HeldItem, Widening } from './compute-approval-holds.js';

/** `--override-holds`: who releases the holds, and why. */
export interface HoldOverride {
  by: string;
  reason: string;
}

/** The outcome of the approval check of one plan or apply. */
export type ApprovalCheck =
  /** `reconcile.requireApproval` is off. */
  | { mode: 'off' }
  /** Holding needs a commit to trace; outside git there is none. */
  | { mode: 'unavailable'; reason: string }
  /** No apply before (or an override after history was lost): the current state is adopted as approved. */
  | {
      mode: 'baseline';
      commit: string;
      tree: string;
      why: 'first-apply' | 'override';
      override?: HoldOverride | undefined;
    }
  | {
      mode: 'checked';
      /** The last applied commit. */
      since: string;
      held: HeldItem[];
      approved: ApprovedItem[];
      /** Held, but released by `override`. */
      released: HeldItem[];
      override?: HoldOverride;
    };

/** The last applied commit and what that run held, from the newest apply or baseline record. */
export function readLastApplied(records: readonly AuditRecord[]): { commit: string; held: HeldItem[] } | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.type !== 'apply.completed' && r.type !== 'apply.baseline') continue;
    if (typeof r.commit !== 'string' || r.commit === '') continue;
    const held = r.type === 'apply.completed' ? (r.details.approval?.held ?? []) : [];
    return { commit: r.commit, held: held.filter(isHeldItem) };
  }
  return undefined;
}

function isHeldItem(value: unknown): value is HeldItem {
  const v = value as Partial<HeldItem> | null;
  if (typeof v !== 'object' || v === null || typeof v.uid !== 'string' || typeof v.introducedBy !== 'string')
    return false;
  if (v.kind === 'account') return true;
  return v.kind === 'grant' && typeof v.system === 'string' && typeof v.role === 'string';
}

/** The approvals (`request.approved`) and merges (`request.merged`) the app recorded. */
export function readApprovalFacts(records: readonly AuditRecord[]): ApprovalFacts {
  const approvals: Array<ApprovalFacts['approvals'][number]> = [];
  const merges: Array<ApprovalFacts['merges'][number]> = [];
  for (const r of records) {
    if (typeof r.pr !== 'number' || typeof r.commit !== 'string') continue;
    if (r.type === 'request.approved') {
      approvals.push({ pr: r.pr, head: r.commit, changes: (r.details.changes ?? []).flatMap(toApprovedChange) });
    } else if (r.type === 'request.merged') {
      merges.push({ pr: r.pr, head: r.details.head, commit: r.commit });
    }
  }
  return { approvals, merges };
}

function toApprovedChange(value: unknown): ApprovedChange[] {
  const v = value as { kind?: unknown; subject?: unknown; person?: unknown; grant?: unknown } | null;
  if (typeof v !== 'object' || v === null || typeof v.kind !== 'string') return [];
  const person = typeof v.person === 'string' ? v.person : v.kind.startsWith('person-') ? v.subject : undefined;
  const g = v.grant as { system?: unknown; role?: unknown; expires?: unknown } | undefined;
  const grant =
    g && typeof g.system === 'string' && typeof g.role === 'string'
      ? { system: g.system, role: g.role, ...(typeof g.expires === 'string' ? { expires: g.expires } : {}) }
      : undefined;
  return [{ kind: v.kind, ...(typeof person === 'string' ? { person } : {}), ...(grant ? { grant } : {}) }];
}

/** The `approval` detail of `apply.completed`: enough for the next run to know what the directory got. */
export function approvalDetail(check: ApprovalCheck): AuditApprovalDetail {
  switch (check.mode) {
    case 'off':
    case 'unavailable':
      return { mode: check.mode };
    case 'baseline':
      return { mode: 'baseline', held: [] };
    case 'checked':
      return {
        mode: 'checked',
        since: check.since,
        held: check.held,
        approved: check.approved.map((a) => ({
          ...itemFields(a.item),
          introducedBy: a.introducedBy,
          pr: a.pr,
          head: a.head,
          mergedAs: a.mergedAs,
        })),
        released: check.released,
      };
  }
}

function itemFields(item: Widening): Pick<AuditApprovedItem, 'kind' | 'uid' | 'system' | 'role' | 'expires'> {
  if (item.kind === 'account') return { kind: 'account', uid: item.uid };
  return {
    kind: 'grant',
    uid: item.uid,
    system: item.system,
    role: item.role,
    ...(item.expires !== undefined ? { expires: item.expires } : {}),
  };
}

/**
 * The records of the check itself, written by apply: `apply.baseline` when the state is adopted,
 * `apply.held` for each hold not already held in the same form by the previous run, and
 * `apply.override` naming who released what, and why.
 */
export function computeApprovalEvents(
  check: ApprovalCheck,
  previouslyHeld: readonly HeldItem[],
  base: { time: string; actor: string; commit?: string },
): AuditEvent[] {
  if (check.mode === 'baseline') {
    const details = {
      tree: check.tree,
      reason:
        check.why === 'first-apply'
          ? 'first apply: the current state is adopted as the approved baseline'
          : 'the last applied commit is gone from history: the current state is adopted by override',
      ...(check.override ? { override: check.override } : {}),
    };
    return [{ ...base, type: 'apply.baseline', details }];
  }
  if (check.mode !== 'checked') return [];
  const events: AuditEvent[] = check.held
    .filter((h) => !previouslyHeld.some((p) => sameItem(p, h) && p.introducedBy === h.introducedBy))
    .map((h) => ({
      ...base,
      type: 'apply.held',
      subject: h.uid,
      details: { ...h, reason: 'no approval on the audit log', description: describeHeld(h) },
    }));
  if (check.override && check.released.length > 0)
    events.push({
      ...base,
      type: 'apply.override',
      actor: check.override.by,
      details: { by: check.override.by, reason: check.override.reason, released: check.released },
    });
  return events;
}
