import { compareTimes } from './compare-times.js';
import { describeHeld } from './compute-approval-holds.js';
import type { AccessTree } from '../model/access-tree.js';
import { assertNever } from '../plan/action.js';
import type { AuditRecord } from './audit-event.js';
import type { PersonChange } from './compute-grant-changes.js';
import type { ApprovalStep, CommitView, RequestStatus, RequestTimeline } from './compute-request-timelines.js';

/** A system (and access level, i.e. role) that reached, or left, the directory. */
export interface SystemAccess {
  system: string;
  accessLevel: string;
  group: string | null;
  date: string | null;
  applyCommit: string | null;
}

/** Our access record: one request concerning one person, from asking to provisioning. */
export interface AccessRecord {
  requestId: number | null;
  requester: string;
  requestedAt: string;
  changes: PersonChange[];
  tier: string | null;
  approvalChain: ApprovalStep[];
  securityReview: ApprovalStep | null;
  merge: CommitView | null;
  commits: CommitView[];
  systemsProvisioned: SystemAccess[];
  systemsRevoked: SystemAccess[];
  status: RequestStatus | 'revoked';
}

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

/** The group a role maps to in the current tree, or null when the system or role is gone. */
export function groupOf(tree: AccessTree, system: string, role: string): string | null {
  return tree.systems.get(system)?.value.roles[role]?.group ?? null;
}

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
    .map((t) => accessRecordOf(uid, t, t.merge ? (input.changes.get(t.merge.commit) ?? []) : [], tree))
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

function accessRecordOf(uid: string, t: RequestTimeline, changes: PersonChange[], tree: AccessTree): AccessRecord {
  // A grant reached the directory with the first completed apply whose failures (if any) did not touch its group or the person.
  const at = (system: string, role: string): SystemAccess => {
    const group = groupOf(tree, system, role);
    const touches = new Set([group, uid].filter((x): x is string => x !== null).map((x) => ` ${x}`));
    const done = t.applies.find(
      (a) => a.result === 'completed' && !a.failed.some((f) => [...touches].some((x) => f.endsWith(x))),
    );
    return { system, accessLevel: role, group, date: done?.time ?? null, applyCommit: done?.commit ?? null };
  };
  const added = changes.flatMap((c) => (c.change === 'grant-added' ? [at(c.system, c.role)] : []));
  const removed = changes.flatMap((c) => (c.change === 'grant-removed' ? [at(c.system, c.role)] : []));
  const disabled =
    changes.some((c) => c.change === 'status-changed' && c.to !== 'active') ||
    changes.some((c) => c.change === 'person-removed');
  const onlyRemovals = (removed.length > 0 || disabled) && added.length === 0;
  return {
    requestId: t.requestId,
    requester: t.requester,
    requestedAt: t.requestedAt,
    changes,
    tier: t.tier,
    approvalChain: t.approvalChain,
    securityReview: t.securityReview,
    merge: t.merge,
    commits: t.commits,
    systemsProvisioned: added,
    systemsRevoked: removed,
    status:
      onlyRemovals &&
      [...added, ...removed].every((s) => s.date !== null) &&
      t.applies.some((a) => a.result === 'completed')
        ? 'revoked'
        : added.length > 0 && added.every((s) => s.date !== null)
          ? 'provisioned'
          : t.status,
  };
}

/** `added crm/sales-rep`, `status active -> disabled`. */
export function describeChange(c: PersonChange): string {
  switch (c.change) {
    case 'person-created':
      return `person created (${c.status})`;
    case 'person-removed':
      return 'person file removed';
    case 'status-changed':
      return `status ${c.from} -> ${c.to}`;
    case 'grant-added':
      return `added ${c.system}/${c.role}${c.expires ? ` until ${c.expires}` : ''}${c.emergency ? ' (emergency)' : ''}`;
    case 'grant-removed':
      return `removed ${c.system}/${c.role}`;
    case 'grant-changed':
      return `changed ${c.system}/${c.role}${c.expires ? ` until ${c.expires}` : ''}`;
  }
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
    case 'request.evaluated':
    case 'level.approved':
    case 'request.approved':
    case 'request.rejected':
    case 'request.merged':
    case 'apply.completed':
    case 'apply.failed':
    case 'apply.baseline':
      return undefined; // told through the person's requests
    default:
      return assertNever(r);
  }
}
