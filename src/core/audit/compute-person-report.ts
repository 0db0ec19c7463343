import { compareTimes } from './compare-times.js';
import { computeAccessRecord, describeChange, groupOf } from './compute-access-record.js';
import type { AccessRecord } from './compute-access-record.js';
import { describeHeld } from './compute-approval-holds.js';
import type { AccessTree } from '../model/access-tree.js';
import { assertNever } from '../plan/action.js';
import type { AuditRecord } from './audit-event.js';
import type { PersonChange } from './compute-grant-changes.js';
import type { RequestTimeline } from './compute-request-timelines.js';

export type { AccessRecord, SystemAccess } from './compute-access-record.js';
export { describeChange };

export interface TimelineEntry {
  time: string;
  event: string;
  requestId: number | null;
  commit: string | null;
  actor: string;
  detail: string;
}

export interface PersonReport {
  kind: 'person';
  uid: string;
  name: string | null;
  employeeId: string | null;
  email: string | null;
  department: string | null;
  /** `attestations.mfa` of the person file: true, false, or null when not attested. */
  mfa: boolean | null;
  type: string | null;
  /** Status now: from the person file, or `removed` when the file is gone. */
  status: string;
  org: string | null;
  sponsor: string | null;
  manager: string | null;
  currentAccess: Array<{
    system: string;
    accessLevel: string;
    group: string | null;
    privileged: boolean;
    expires: string | null;
    requestId: number | null;
    since: string | null;
  }>;
  accessRecords: AccessRecord[];
  timeline: TimelineEntry[];
}

export { groupOf };

const byTime = <T extends { time: string }>(a: T, b: T): number => compareTimes(a.time, b.time);

/**
 * Everything about one person: current access (from the tree), one access record per request
 * that changed their file (`changes` maps a landing commit to what it changed), and a timeline
 * with approvals, merges, applies, expiries and locks from the audit log.
 */
export function computePersonReport(
  uid: string,
  input: {
    tree: AccessTree;
    timelines: readonly RequestTimeline[];
    changes: ReadonlyMap<string, PersonChange[]>;
    records: readonly AuditRecord[];
  },
): PersonReport {
  const { tree } = input;
  const person = tree.people.get(uid)?.value;
  const touching = input.timelines.filter(
    (t) =>
      (t.merge && input.changes.has(t.merge.commit)) ||
      (t.merge === null && input.records.some((r) => r.pr === t.requestId && r.subject === uid)),
  );
  const accessRecords = touching
    .map((t) =>
      computeAccessRecord(uid, t, t.merge ? (input.changes.get(t.merge.commit) ?? []) : [], tree, input.records),
    )
    .reverse();

  const timeline: TimelineEntry[] = [];
  for (const r of accessRecords) {
    const id = r.requestId;
    const what = r.changes.map(describeChange).join('; ') || 'request';
    timeline.push({
      time: r.requestedAt,
      event: 'requested',
      requestId: id,
      commit: null,
      actor: r.requester,
      detail: what,
    });
    for (const s of r.approvalChain)
      timeline.push({
        time: s.date,
        event: s.decision === 'approved' ? 'approved' : 'rejected',
        requestId: id,
        commit: null,
        actor: s.approver,
        detail: `${s.level}${s.reason ? `: ${s.reason}` : ''}`,
      });
    if (r.merge)
      timeline.push({
        time: r.merge.date,
        event: 'merged',
        requestId: id,
        commit: r.merge.commit,
        actor: r.merge.committer,
        detail: `signature ${r.merge.signature.verified ? 'verified' : 'NOT verified'} (${r.merge.signature.by})`,
      });
    for (const p of r.systemsProvisioned)
      if (p.date)
        timeline.push({
          time: p.date,
          event: 'provisioned',
          requestId: id,
          commit: p.applyCommit,
          actor: 'reconciler',
          detail: `${p.system}/${p.accessLevel}${p.group ? ` (${p.group})` : ''}`,
        });
    for (const p of r.systemsRevoked)
      if (p.date)
        timeline.push({
          time: p.date,
          event: 'revoked',
          requestId: id,
          commit: p.applyCommit,
          actor: 'reconciler',
          detail: `${p.system}/${p.accessLevel}${p.group ? ` (${p.group})` : ''}`,
        });
  }
  for (const r of input.records) {
    const entry = personEventOf(r, uid);
    if (entry) timeline.push(entry);
  }
  timeline.sort(byTime);

  const since = (system: string, role: string): { requestId: number | null; since: string | null } => {
    const r = [...accessRecords]
      .reverse()
      .find((a) => a.systemsProvisioned.some((p) => p.system === system && p.accessLevel === role));
    const p = r?.systemsProvisioned.find((x) => x.system === system && x.accessLevel === role);
    return { requestId: r?.requestId ?? null, since: p?.date ?? null };
  };
  return {
    kind: 'person',
    uid,
    name: person?.name ?? null,
    employeeId: person?.employeeId ?? null,
    email: person?.email ?? null,
    department: person?.department ?? null,
    mfa: mfaOf(person?.attestations['mfa']),
    type: person?.type ?? null,
    status: person?.status ?? 'removed',
    org: person?.org ?? null,
    sponsor: person?.sponsor ?? null,
    manager: person?.manager ?? null,
    currentAccess: (person && person.status === 'active' ? person.grants : []).map((g) => ({
      system: g.system,
      accessLevel: g.role,
      group: groupOf(tree, g.system, g.role),
      privileged: tree.systems.get(g.system)?.value.roles[g.role]?.privileged === true,
      expires: g.expires ?? null,
      ...since(g.system, g.role),
    })),
    accessRecords,
    timeline,
  };
}

function mfaOf(value: boolean | string | undefined): boolean | null {
  if (value === undefined) return null;
  return value === true || (typeof value === 'string' && value.trim() !== '' && value !== 'false');
}

/** The timeline entry a record gives the person `uid`, if it concerns them and is not part of a request's story. */
function personEventOf(r: AuditRecord, uid: string): TimelineEntry | undefined {
  const at = { time: r.time, requestId: null, commit: r.commit ?? null, actor: r.actor };
  switch (r.type) {
    case 'grant.expired':
      if (r.subject !== uid) return undefined;
      return { ...at, event: 'expired', detail: `${r.details.system}/${r.details.role} expired ${r.details.expires}` };
    case 'account.locked':
      if (r.subject !== uid && r.details.uid !== uid) return undefined;
      return { ...at, event: 'locked', detail: r.details.reason };
    case 'account.unlocked':
      if (r.subject !== uid && r.details.uid !== uid) return undefined;
      return { ...at, event: 'unlocked', detail: 'a lock aac had set' };
    case 'drift.reverted':
      if (r.subject !== uid && r.details.member !== uid) return undefined;
      return { ...at, event: 'drift-reverted', detail: `${r.details.action} ${r.details.group}` };
    case 'escalation.blocked':
      if (r.subject !== uid) return undefined;
      return { ...at, event: 'blocked', requestId: r.pr ?? null, detail: r.details.reasons.join('; ') };
    case 'notice.sent':
      if (r.details.uid !== uid) return undefined;
      return {
        ...at,
        event: 'notified',
        detail: `${r.details.notice} to ${r.details.to.join(', ') || `nobody (${r.details.undeliverable ?? 'no address'})`}`,
      };
    case 'grant.revoked':
      if (r.subject !== uid) return undefined;
      return {
        ...at,
        event: 'revoked',
        detail: `${r.details.system}/${r.details.role} removed from ${r.details.group}`,
      };
    case 'apply.held':
      if (r.details.uid !== uid) return undefined;
      return { ...at, event: 'held', detail: `${r.details.description}: introduced by ${r.details.introducedBy}` };
    case 'apply.override': {
      const released = r.details.released.filter((h) => h.uid === uid);
      if (released.length === 0) return undefined;
      return {
        ...at,
        event: 'hold-released',
        detail: `${released.map(describeHeld).join('; ')} by ${r.details.by}: ${r.details.reason}`,
      };
    }
    case 'apply.completed': {
      // Unlocking is told here: it follows a re-enable, or a new password after the 72-hour lock.
      const unlocked = r.details.actions.some(
        (a) => a.type === 'unlock-account' && a.subject === uid && a.result === 'done',
      );
      return unlocked ? { ...at, event: 'unlocked', detail: 'account unlocked' } : undefined;
    }
    case 'request.evaluated':
    case 'level.approved':
    case 'request.approved':
    case 'request.rejected':
    case 'request.merged':
    case 'apply.failed':
    case 'apply.baseline':
      return undefined; // told through the person's requests
    default:
      return assertNever(r);
  }
}
