/**
 * One access record: one request concerning one person, from asking to provisioning, with the
 * deprovisioning (seed 002) and external-access (seed 003) facts an auditor asks for. Pure.
 */
import type { AccessTree } from '../model/access-tree.js';
import type { Person, Risk } from '../model/types.js';
import { RISKS } from '../model/types.js';
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
  /** Who put it there: the reconciler's identity from the apply record; null until applied. */
  provisionedBy: string | null;
}

/** A disable, delete or file removal, as seed 002 wants it recorded. */
export interface DeprovisioningRecord {
  action: 'disabled' | 'deleted' | 'file-removed';
  /** When the directory was changed (the first completed apply); null until then. */
  dateTime: string | null;
  email: string | null;
  /** The approvers of the pull request (levels' reviewers). */
  authorizedBy: string[];
  /** `statusReason` of the file, else the pull request's title; null when neither is known. */
  reason: string | null;
  reasonSource: 'statusReason' | 'pull-request-title' | 'unknown';
  supervisor: string | null;
  /** Whether the audit log records the notice to the supervisor as delivered; null before the apply. */
  supervisorNotified: boolean | null;
}

/** External access (seed 003): sponsor, approvers, justification, status and timestamps. */
export interface ExternalAccessRecord {
  org: string | null;
  sponsor: string | null;
  approvers: string[];
  justifications: Array<{ system: string; role: string; justification: string | null; expires: string | null }>;
  status: string;
  requestedAt: string;
  approvedAt: string | null;
  provisionedAt: string | null;
}

/** Our access record: one request concerning one person, from asking to provisioning. */
export interface AccessRecord {
  requestId: number | null;
  requester: string;
  requestedAt: string;
  /** The pull request's title as the app recorded it; null when unknown. */
  title: string | null;
  changes: PersonChange[];
  tier: string | null;
  approvalChain: ApprovalStep[];
  securityReview: ApprovalStep | null;
  /** The highest risk among the systems this request gives, and that risk level's requirements. */
  riskReview: { riskLevel: Risk | null; conditions: string[] };
  merge: CommitView | null;
  commits: CommitView[];
  systemsProvisioned: SystemAccess[];
  systemsRevoked: SystemAccess[];
  deprovisioning: DeprovisioningRecord | null;
  external: ExternalAccessRecord | null;
  status: RequestStatus | 'revoked';
  /** When the request reached its final state in the directory; null until then. */
  completedDate: string | null;
}

/** The group a role maps to in the current tree, or null when the system or role is gone. */
export function groupOf(tree: AccessTree, system: string, role: string): string | null {
  const roles = tree.systems.get(system)?.value.roles;
  return roles && Object.hasOwn(roles, role) ? (roles[role]?.group ?? null) : null;
}

export function computeAccessRecord(
  uid: string,
  t: RequestTimeline,
  changes: PersonChange[],
  tree: AccessTree,
  records: readonly AuditRecord[],
): AccessRecord {
  // A grant reached the directory with the first completed apply whose failures (if any) did not touch its group or the person.
  const at = (system: string, role: string): SystemAccess => {
    const group = groupOf(tree, system, role);
    const touches = new Set([group, uid].filter((x): x is string => x !== null).map((x) => ` ${x}`));
    const done = t.applies.find(
      (a) => a.result === 'completed' && !a.failed.some((f) => [...touches].some((x) => f.endsWith(x))),
    );
    return {
      system,
      accessLevel: role,
      group,
      date: done?.time ?? null,
      applyCommit: done?.commit ?? null,
      provisionedBy: done?.actor ?? null,
    };
  };
  const added: SystemAccess[] = [];
  const removed: SystemAccess[] = [];
  for (const c of changes) {
    if (c.change === 'grant-added') added.push(at(c.system, c.role));
    if (c.change === 'grant-removed') removed.push(at(c.system, c.role));
    // A disable takes away everything the file held; a re-enable gives it back.
    if (c.change === 'status-changed')
      (c.to === 'active' ? added : removed).push(...c.grants.map((g) => at(g.system, g.role)));
  }
  const status = statusOf(t, changes, added, removed);
  const person = tree.people.get(uid)?.value;
  const completedDate =
    status === 'provisioned' || status === 'revoked'
      ? ([...added, ...removed].map((s) => s.date).find((d) => d !== null) ??
        t.applies.find((a) => a.result === 'completed')?.time ??
        null)
      : null;
  return {
    requestId: t.requestId,
    requester: t.requester,
    requestedAt: t.requestedAt,
    title: t.title,
    changes,
    tier: t.tier,
    approvalChain: t.approvalChain,
    securityReview: t.securityReview,
    riskReview: riskReviewOf(tree, changes),
    merge: t.merge,
    commits: t.commits,
    systemsProvisioned: added,
    systemsRevoked: removed,
    deprovisioning: deprovisioningOf(uid, t, changes, person, records, completedDate),
    external: person?.type === 'external' ? externalOf(person, t, changes, status, completedDate) : null,
    status,
    completedDate,
  };
}

function statusOf(
  t: RequestTimeline,
  changes: readonly PersonChange[],
  added: readonly SystemAccess[],
  removed: readonly SystemAccess[],
): AccessRecord['status'] {
  const disabled = changes.some(
    (c) => (c.change === 'status-changed' && c.to !== 'active') || c.change === 'person-removed',
  );
  const onlyRemovals = (removed.length > 0 || disabled) && added.length === 0;
  if (onlyRemovals && removed.every((s) => s.date !== null) && t.applies.some((a) => a.result === 'completed'))
    return 'revoked';
  if (added.length > 0 && added.every((s) => s.date !== null)) return 'provisioned';
  return t.status;
}

function riskReviewOf(tree: AccessTree, changes: readonly PersonChange[]): AccessRecord['riskReview'] {
  let highest = -1;
  for (const c of changes) {
    if (c.change !== 'grant-added') continue;
    const system = tree.systems.get(c.system)?.value;
    if (!system) continue;
    const role = Object.hasOwn(system.roles, c.role) ? system.roles[c.role] : undefined;
    highest = Math.max(highest, RISKS.indexOf(role?.risk ?? system.risk));
  }
  if (highest < 0) return { riskLevel: null, conditions: [] };
  const riskLevel = RISKS[highest]!;
  const levels = tree.policy?.value.risk;
  const conditions = levels && Object.hasOwn(levels, riskLevel) ? (levels[riskLevel]?.requirements ?? []) : [];
  return { riskLevel, conditions: [...conditions] };
}

function deprovisioningOf(
  uid: string,
  t: RequestTimeline,
  changes: readonly PersonChange[],
  person: Person | undefined,
  records: readonly AuditRecord[],
  completedDate: string | null,
): DeprovisioningRecord | null {
  const status = changes.find((c) => c.change === 'status-changed' && c.to !== 'active');
  const fileRemoved = changes.some((c) => c.change === 'person-removed');
  if (!status && !fileRemoved) return null;
  const action =
    status?.change === 'status-changed' ? (status.to === 'deleted' ? 'deleted' : 'disabled') : 'file-removed';
  const statusReason = status?.change === 'status-changed' ? status.reason : undefined;
  const notice = records.find(
    (r) =>
      r.type === 'notice.sent' &&
      r.details.notice === 'account-deprovisioned' &&
      r.details.uid === uid &&
      (completedDate === null || Date.parse(r.time) >= Date.parse(t.requestedAt)),
  );
  return {
    action,
    dateTime: completedDate,
    email: person?.email ?? null,
    authorizedBy: [...new Set(t.approvalChain.filter((s) => s.decision === 'approved').map((s) => s.approver))],
    reason: statusReason ?? t.title,
    reasonSource: statusReason !== undefined ? 'statusReason' : t.title !== null ? 'pull-request-title' : 'unknown',
    supervisor: (person?.type === 'external' ? person.sponsor : person?.manager) ?? null,
    supervisorNotified:
      notice?.type === 'notice.sent' ? notice.details.to.length > 0 : completedDate === null ? null : false,
  };
}

function externalOf(
  person: Person,
  t: RequestTimeline,
  changes: readonly PersonChange[],
  status: AccessRecord['status'],
  completedDate: string | null,
): ExternalAccessRecord {
  const approvals = t.approvalChain.filter((s) => s.decision === 'approved');
  return {
    org: person.org ?? null,
    sponsor: person.sponsor ?? null,
    approvers: [...new Set(approvals.map((s) => s.approver))],
    justifications: changes.flatMap((c) =>
      c.change === 'grant-added'
        ? [{ system: c.system, role: c.role, justification: c.justification ?? null, expires: c.expires ?? null }]
        : [],
    ),
    status,
    requestedAt: t.requestedAt,
    approvedAt: approvals.at(-1)?.date ?? null,
    provisionedAt: completedDate,
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
      return `status ${c.from} -> ${c.to}${c.reason ? ` (${c.reason})` : ''}`;
    case 'grant-added':
      return `added ${c.system}/${c.role}${c.expires ? ` until ${c.expires}` : ''}${c.emergency ? ' (emergency)' : ''}`;
    case 'grant-removed':
      return `removed ${c.system}/${c.role}`;
    case 'grant-changed':
      return `changed ${c.system}/${c.role}${c.expires ? ` until ${c.expires}` : ''}`;
  }
}
