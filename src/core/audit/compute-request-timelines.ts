import type { AuditRecord } from './audit-event.js';
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
    signature: { status: c.signature.status, verified: 'accepted' in verdict, by: 'accepted' in verdict ? verdict.accepted : verdict.problem, signer: c.signature.signer, key: c.signature.key },
  };
}

/** Approval steps of a request from its `level.approved` and `request.rejected` records, in time order. */
export function approvalStepsOf(records: readonly AuditRecord[]): ApprovalStep[] {
  const steps: ApprovalStep[] = [];
  for (const r of records) {
    const d = r.details as Record<string, unknown>;
    if (r.type === 'level.approved') steps.push({ level: String(d['level'] ?? ''), approver: String(d['reviewer'] ?? r.actor), decision: 'approved', date: String(d['reviewedAt'] ?? r.time) });
    if (r.type === 'request.rejected') steps.push({ level: String(d['level'] ?? 'review'), approver: String(d['reviewer'] ?? r.actor), decision: 'rejected', date: r.time, reason: String(d['reason'] ?? '') });
  }
  return steps.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

const hoursBetween = (from: string, to: string): number => Math.round(((Date.parse(to) - Date.parse(from)) / 3_600_000) * 100) / 100;

/**
 * Joins history and audit records into one timeline per request, newest merge first, then
 * requests that never merged. An apply counts for a merge when it applied that commit or a
 * later one on main (by first-parent position; by time when its commit is not in the history read).
 */
export function computeRequestTimelines(commits: readonly HistoryCommit[], records: readonly AuditRecord[], options: { accessRoot?: string } = {}): RequestTimeline[] {
  const root = `${(options.accessRoot ?? 'access').replace(/\/+$/, '')}/`;
  const landed = groupRequests(commits);
  const byPr = new Map<number, AuditRecord[]>();
  for (const r of records) {
    if (typeof r.pr !== 'number') continue;
    const list = byPr.get(r.pr);
    if (list) list.push(r);
    else byPr.set(r.pr, [r]);
  }
  const applies = assignApplies(landed, records.filter((r) => r.type === 'apply.completed' || r.type === 'apply.failed'));

  const timelines = landed.filter((c) => c.landing.files.some((f) => f.path.startsWith(root)) || (c.id !== undefined && byPr.has(c.id))).map((c) => timelineOf(c, byPr.get(c.id ?? -1) ?? [], applies.get(c.landing.sha) ?? [], root));
  const merged = new Set(landed.map((c) => c.id).filter((id) => id !== undefined));
  for (const [pr, recs] of byPr) if (!merged.has(pr)) timelines.push(unmergedTimeline(pr, recs));
  return timelines;
}

/**
 * For each landed change, the applies at or after it: up to and including the first that
 * completed with no failed action (one with failures may have missed this change's entries). One sweep over both lists, oldest first (an apply's place on the line is its
 * commit's, or for a commit not read, that of the newest change landed before it).
 */
function assignApplies(landed: readonly LandedChange[], applies: readonly AuditRecord[]): Map<string, ApplyView[]> {
  const oldestFirst = [...landed].reverse();
  const position = new Map(landed.map((c) => [c.landing.sha, c.position]));
  const placeOf = (r: AuditRecord): number => {
    const known = r.commit !== undefined ? position.get(r.commit) : undefined;
    if (known !== undefined) return known;
    let lo = 0;
    let hi = oldestFirst.length - 1;
    let found = oldestFirst.length; // before every change: beyond the oldest position
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (oldestFirst[mid]!.landing.committer.time <= r.time) {
        found = oldestFirst[mid]!.position;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const placed = applies.map((r, i) => ({ r, place: placeOf(r), i })).sort((a, b) => b.place - a.place || a.i - b.i);
  const views = placed.map(({ r }) => applyView(r));
  const out = new Map<string, ApplyView[]>();
  let start = 0;
  for (const change of oldestFirst) {
    while (start < placed.length && placed[start]!.place > change.position) start++;
    const mine: ApplyView[] = [];
    for (let k = start; k < placed.length; k++) {
      mine.push(views[k]!);
      if (views[k]!.result === 'completed' && views[k]!.failed.length === 0) break;
    }
    out.set(change.landing.sha, mine);
  }
  return out;
}

function applyView(r: AuditRecord): ApplyView {
  const actions = ((r.details as { actions?: Array<{ type: string; subject: string; result: string }> }).actions ?? []).filter((a) => a.result === 'failed');
  return { time: r.time, commit: r.commit ?? null, actor: r.actor, result: r.type === 'apply.completed' ? 'completed' : 'failed', failed: actions.map((a) => `${a.type} ${a.subject}`) };
}

function timelineOf(change: LandedChange, recs: readonly AuditRecord[], applies: ApplyView[], root: string): RequestTimeline {
  const steps = approvalStepsOf(recs);
  const evaluated = recs.filter((r) => r.type === 'request.evaluated' || r.type === 'request.approved');
  const tier = evaluated.length > 0 ? String((evaluated[evaluated.length - 1]!.details as { tier?: unknown }).tier ?? '') || null : null;
  const firstSeen = [change.branch[0]?.author.time, recs[0]?.time].filter((t): t is string => t !== undefined).sort()[0] ?? change.landing.author.time;
  const done = applies.find((a) => a.result === 'completed' && a.failed.length === 0);
  const provisionedAt = done?.time ?? null;
  return {
    requestId: change.id ?? null,
    requester: change.requester,
    requestedAt: firstSeen,
    tier,
    approvalChain: steps,
    securityReview: steps.find((s) => /security/i.test(s.level)) ?? null,
    blocked: blockedOf(recs),
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

function blockedOf(recs: readonly AuditRecord[]): RequestTimeline['blocked'] {
  return recs.filter((r) => r.type === 'escalation.blocked').map((r) => ({ time: r.time, reasons: ((r.details as { reasons?: unknown }).reasons as string[] | undefined) ?? [] }));
}

function unmergedTimeline(pr: number, recs: readonly AuditRecord[]): RequestTimeline {
  const steps = approvalStepsOf(recs);
  const blocked = blockedOf(recs);
  const rejected = steps.some((s) => s.decision === 'rejected');
  const tierRecord = recs.filter((r) => r.type === 'request.evaluated' || r.type === 'request.approved').at(-1);
  const author = recs.find((r) => r.type === 'request.evaluated' && typeof (r.details as { author?: unknown }).author === 'string');
  return {
    requestId: pr,
    requester: author ? String((author.details as { author: string }).author) : '',
    requestedAt: recs[0]!.time,
    tier: tierRecord ? String((tierRecord.details as { tier?: unknown }).tier ?? '') || null : null,
    approvalChain: steps,
    securityReview: steps.find((s) => /security/i.test(s.level)) ?? null,
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
