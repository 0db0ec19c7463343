import { atOrBefore, compareTimes } from './compare-times.js';
import type { AuditRecord, AuditRecordOf } from './audit-event.js';
import { groupRequests } from './group-requests.js';
import type { LandedChange } from './group-requests.js';
import type { FileChange, HistoryCommit } from './parse-git-log.js';
import { judgeSignature } from './verify-audit-trail.js';

/** One step of an approval chain: who decided, at which level, what and when. */
export interface ApprovalStep {
  level: string;
  approver: string;
  decision: 'approved' | 'rejected';
  date: string;
  reason?: string;
  /** The changes this approval covers, e.g. `grant-added jsmith`. */
  covers: string[];
}

export interface SignatureView {
  /** git's `%G?`. */
  status: string;
  verified: boolean;
  /** `trusted-key`, `github`, or the problem (`unsigned`, `untrusted-key`, ...). */
  by: string;
  signer: string;
  key: string;
}

export interface CommitView {
  commit: string;
  date: string;
  author: string;
  committer: string;
  subject: string;
  signature: SignatureView;
}

export interface ApplyView {
  time: string;
  commit: string | null;
  actor: string;
  result: 'completed' | 'failed';
  /** Actions of this apply that failed (type and subject). */
  failed: string[];
}

export type RequestStatus = 'pending' | 'rejected' | 'blocked' | 'merged' | 'provisioned' | 'apply-failed';

/** A request (pull request, or direct commit) with everything git and the audit log say about it. */
export interface RequestTimeline {
  requestId: number | null;
  requester: string;
  /** The pull request's title as the app recorded it at merge; null when unknown. */
  title: string | null;
  requestedAt: string;
  tier: string | null;
  approvalChain: ApprovalStep[];
  securityReview: ApprovalStep | null;
  blocked: Array<{ time: string; reasons: string[] }>;
  merge: CommitView | null;
  /** The pull request's own commits: who wrote which change, signed or not. */
  commits: CommitView[];
  /** Files under the access folder the change touched (merges: against the first parent). */
  files: FileChange[];
  /** Applies at or after the merge, up to and including the first that completed without a failed action. */
  applies: ApplyView[];
  provisionedAt: string | null;
  /** Hours from request to the first completed apply; null until provisioned. */
  hoursToProvision: number | null;
  status: RequestStatus;
  /** Position of the merge on main's first-parent line (0 = tip); null when not merged. */
  position: number | null;
}

/** `mjohnson-gh <m@x>` style identity of a commit person. */
export function commitView(c: HistoryCommit): CommitView {
  const verdict = judgeSignature(c);
  return {
    commit: c.sha,
    date: c.committer.time,
    author: `${c.author.name} <${c.author.email}>`,
    committer: `${c.committer.name} <${c.committer.email}>`,
    subject: c.subject,
    signature: {
      status: c.signature.status,
      verified: 'accepted' in verdict,
      by: 'accepted' in verdict ? verdict.accepted : verdict.problem,
      signer: c.signature.signer,
      key: c.signature.key,
    },
  };
}

/**
 * Approval steps of a request from its `level.approved` and `request.rejected` records, in time
 * order: one step per level and approver (the app writes one `level.approved` per change), saying
 * which changes it covers (`grant-added jsmith`).
 */
export function approvalStepsOf(records: readonly AuditRecord[]): ApprovalStep[] {
  const steps = new Map<string, ApprovalStep>();
  for (const r of records) {
    if (r.type === 'level.approved') {
      const key = `approved\u0000${r.details.level}\u0000${r.details.reviewer}`;
      const step = steps.get(key) ?? {
        level: r.details.level,
        approver: r.details.reviewer,
        decision: 'approved' as const,
        date: r.details.reviewedAt,
        covers: [],
      };
      if (compareTimes(r.details.reviewedAt, step.date) < 0) step.date = r.details.reviewedAt;
      const covered = `${r.details.kind ?? 'change'} ${r.subject ?? r.details.file ?? ''}`.trim();
      if (!step.covers.includes(covered)) step.covers.push(covered);
      steps.set(key, step);
    }
    if (r.type === 'request.rejected')
      steps.set(`rejected\u0000${r.seq}`, {
        level: r.details.level ?? 'review',
        approver: r.details.reviewer ?? r.actor,
        decision: 'rejected',
        date: r.time,
        reason: r.details.reason,
        covers: [],
      });
  }
  return [...steps.values()].sort((a, b) => compareTimes(a.date, b.date));
}

const hoursBetween = (from: string, to: string): number =>
  Math.round(((Date.parse(to) - Date.parse(from)) / 3_600_000) * 100) / 100;

/**
 * Joins history and audit records into one timeline per request, newest merge first, then
 * requests that never merged. An apply counts for a merge when it applied that commit or a
 * later one on main (by first-parent position; by time when its commit is not in the history read).
 */
export function computeRequestTimelines(
  commits: readonly HistoryCommit[],
  records: readonly AuditRecord[],
  options: { accessRoot?: string } = {},
): RequestTimeline[] {
  return joinRequestTimelines(commits, indexRequestRecords(records), options);
}

/** The audit records a join needs, indexed: each request's own records, and the applies in log order. */
export interface RequestRecords {
  byPr: Map<number, AuditRecord[]>;
  applies: Array<{ record: AuditRecord; view: ApplyView }>;
}

/** Indexes the audit log for joinRequestTimelines; needs no history, so it can run while git log does. */
export function indexRequestRecords(records: readonly AuditRecord[]): RequestRecords {
  const byPr = new Map<number, AuditRecord[]>();
  const applies: RequestRecords['applies'] = [];
  for (const r of records) {
    if (r.type === 'apply.completed' || r.type === 'apply.failed') applies.push({ record: r, view: applyView(r) });
    if (typeof r.pr !== 'number') continue;
    const list = byPr.get(r.pr);
    if (list) list.push(r);
    else byPr.set(r.pr, [r]);
  }
  return { byPr, applies };
}

/** computeRequestTimelines with the records already indexed. */
export function joinRequestTimelines(
  commits: readonly HistoryCommit[],
  { byPr, applies: applyRecords }: RequestRecords,
  options: { accessRoot?: string } = {},
): RequestTimeline[] {
  const root = `${(options.accessRoot ?? 'access').replace(/\/+$/, '')}/`;
  const landed = groupRequests(commits);
  const applies = assignApplies(landed, applyRecords);

  const timelines: RequestTimeline[] = [];
  const merged = new Set<number>();
  for (let k = 0; k < landed.length; k++) {
    const c = landed[k]!;
    if (c.id !== undefined) merged.add(c.id);
    const recs = c.id === undefined ? undefined : byPr.get(c.id);
    if (recs === undefined && !c.landing.files.some((f) => f.path.startsWith(root))) continue;
    timelines.push(timelineOf(c, recs ?? [], applies[k]!, root));
  }
  for (const [pr, recs] of byPr) if (!merged.has(pr)) timelines.push(unmergedTimeline(pr, recs));
  return timelines;
}

/**
 * For each landed change (by index), the applies at or after it: up to and including the first
 * that completed with no failed action (one with failures may have missed this change's entries).
 * One sweep over both lists, oldest first (an apply's place on the line is its commit's, or for a
 * commit not read, that of the newest change landed before it).
 */
function assignApplies(landed: readonly LandedChange[], applies: RequestRecords['applies']): ApplyView[][] {
  const n = landed.length;
  let position: Map<string, number> | undefined;
  const placeOf = (r: AuditRecord): number => {
    if (r.commit !== undefined) {
      position ??= new Map(landed.map((c) => [c.landing.sha, c.position]));
      const known = position.get(r.commit);
      if (known !== undefined) return known;
    }
    // landed[i].position === i, newest first: find the newest change landed at or before r.time.
    let lo = 0;
    let hi = n - 1;
    let found = n; // before every change: beyond the oldest position
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (atOrBefore(landed[mid]!.landing.committer.time, r.time)) {
        found = mid;
        hi = mid - 1;
      } else lo = mid + 1;
    }
    return found;
  };
  const placed = applies
    .map(({ record, view }, i) => ({ view, place: placeOf(record), i }))
    .sort((a, b) => b.place - a.place || a.i - b.i);
  const out: ApplyView[][] = new Array(n);
  let start = 0;
  for (let k = n - 1; k >= 0; k--) {
    while (start < placed.length && placed[start]!.place > k) start++;
    const mine: ApplyView[] = [];
    for (let j = start; j < placed.length; j++) {
      const view = placed[j]!.view;
      mine.push(view);
      if (view.result === 'completed' && view.failed.length === 0) break;
    }
    out[k] = mine;
  }
  return out;
}

function applyView(r: AuditRecordOf<'apply.completed'> | AuditRecordOf<'apply.failed'>): ApplyView {
  const actions = r.type === 'apply.completed' ? r.details.actions : [];
  const failed: string[] = [];
  for (const a of actions) if (a.result === 'failed') failed.push(`${a.type} ${a.subject}`);
  return {
    time: r.time,
    commit: r.commit ?? null,
    actor: r.actor,
    result: r.type === 'apply.completed' ? 'completed' : 'failed',
    failed,
  };
}

/** What a request's own records say: approval steps, the tier last evaluated, escalations blocked, the author seen. */
function requestFacts(recs: readonly AuditRecord[]): {
  steps: ApprovalStep[];
  tier: string | null;
  blocked: RequestTimeline['blocked'];
  author: string | undefined;
  title: string | null;
} {
  let tier: string | null = null;
  let author: string | undefined;
  let title: string | null = null;
  const blocked: RequestTimeline['blocked'] = [];
  for (const r of recs) {
    if (r.type === 'request.evaluated' || r.type === 'request.approved') tier = r.details.tier || null;
    author ??= authorOf(r);
    if (r.type === 'request.merged' && r.details.title !== undefined) title = r.details.title;
    if (r.type === 'escalation.blocked') blocked.push({ time: r.time, reasons: [...r.details.reasons] });
  }
  return { steps: approvalStepsOf(recs), tier, blocked, author, title };
}

/**
 * The pull request's author as the app recorded it. Never the merge message: its "from owner/branch"
 * names the fork's owner, or for a branch of the same repository the organization.
 */
function authorOf(r: AuditRecord): string | undefined {
  switch (r.type) {
    case 'request.evaluated':
    case 'request.approved':
    case 'request.merged':
      return r.details.author;
    case 'escalation.blocked':
      return r.actor; // the app records a blocked attempt as the author's
    default:
      return undefined;
  }
}

/** Who asked, when nothing the app recorded says: git alone cannot tell. */
export const UNKNOWN_REQUESTER = 'unknown';

function timelineOf(
  change: LandedChange,
  recs: readonly AuditRecord[],
  applies: ApplyView[],
  root: string,
): RequestTimeline {
  const { steps, tier, blocked, author, title } = requestFacts(recs);
  const branchTime = change.branch[0]?.author.time;
  const recordTime = recs[0]?.time;
  const firstSeen =
    branchTime !== undefined && (recordTime === undefined || atOrBefore(branchTime, recordTime))
      ? branchTime
      : (recordTime ?? change.landing.author.time);
  const done = applies.find((a) => a.result === 'completed' && a.failed.length === 0);
  const provisionedAt = done?.time ?? null;
  return {
    requestId: change.id ?? null,
    requester: author ?? UNKNOWN_REQUESTER,
    title,
    requestedAt: firstSeen,
    tier,
    approvalChain: steps,
    securityReview: securityReviewOf(steps),
    blocked,
    merge: commitView(change.landing),
    commits: change.branch.map(commitView),
    files: change.landing.files.filter((f) => f.path.startsWith(root)),
    applies,
    provisionedAt,
    hoursToProvision: provisionedAt ? hoursBetween(firstSeen, provisionedAt) : null,
    status: provisionedAt ? 'provisioned' : applies.length > 0 ? 'apply-failed' : 'merged',
    position: change.position,
  };
}

function securityReviewOf(steps: readonly ApprovalStep[]): ApprovalStep | null {
  return steps.find((s) => /security/i.test(s.level)) ?? null;
}

function unmergedTimeline(pr: number, recs: readonly AuditRecord[]): RequestTimeline {
  const { steps, tier, blocked, author, title } = requestFacts(recs);
  const rejected = steps.some((s) => s.decision === 'rejected');
  return {
    requestId: pr,
    requester: author ?? UNKNOWN_REQUESTER,
    title,
    requestedAt: recs[0]!.time,
    tier,
    approvalChain: steps,
    securityReview: securityReviewOf(steps),
    blocked,
    merge: null,
    commits: [],
    files: [],
    applies: [],
    provisionedAt: null,
    hoursToProvision: null,
    status: rejected ? 'rejected' : blocked.length > 0 ? 'blocked' : 'pending',
    position: null,
  };
}
