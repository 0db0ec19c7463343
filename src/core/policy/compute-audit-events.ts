import type { AuditDetails, AuditEvent } from '../audit/audit-event.js';
import type { Evaluation } from './evaluate-pull-request.js';

/** What made the app evaluate, as far as the audit log cares. */
export type EvaluationTrigger =
  /** The pull request was opened or reopened, or its head moved: blocked changes are new attempts. */
  | { type: 'head-changed' }
  /** A review was submitted: the approvals or the rejection it brings are recorded. */
  | { type: 'review'; reviewer: string; state: string }
  /** The author commented `/appeal <text>`: the appeal of each standing rejection is recorded. */
  | { type: 'appeal'; by: string }
  | { type: 'other' };

export interface AuditContext {
  pr: number;
  /** The pull request's author (who asked). */
  author: string;
  /** ISO 8601 time of the event. */
  time: string;
  trigger: EvaluationTrigger;
}

/**
 * The audit events an evaluation gives rise to: each blocked change when the head changes
 * (`escalation.blocked`, actor = the author); when a review approves, the levels that reviewer
 * now satisfies (`level.approved`) and, if that completes the request, `request.approved`.
 * Other triggers record nothing, so re-evaluations do not repeat records.
 */
export function computeAuditEvents(evaluation: Evaluation, context: AuditContext): AuditEvent[] {
  const base = { pr: context.pr, commit: evaluation.headSha, time: context.time };
  const trigger = context.trigger;
  if (trigger.type === 'head-changed') {
    return evaluation.changes
      .filter((c) => c.blocked.length > 0)
      .map((c) => {
        const details: AuditDetails['escalation.blocked'] = {
          reasons: [...c.blocked],
          file: c.file,
          ...(c.grant ? { grant: { system: c.grant.system, role: c.grant.role } } : {}),
        };
        return {
          ...base,
          type: 'escalation.blocked',
          actor: context.author,
          subject: c.subject,
          details: { ...details, kind: c.kind, line: c.line },
        };
      });
  }
  if (trigger.type === 'appeal') return appealEvents(evaluation, base, trigger.by);
  if (trigger.type === 'review' && trigger.state.toUpperCase() === 'CHANGES_REQUESTED')
    return rejectionEvents(evaluation, base, trigger.reviewer.toLowerCase());
  if (trigger.type !== 'review' || trigger.state.toUpperCase() !== 'APPROVED') return [];
  const reviewer = trigger.reviewer.toLowerCase();
  const events: AuditEvent[] = [];
  for (const change of evaluation.changes) {
    for (const level of change.levels) {
      if (level.satisfiedBy !== reviewer) continue;
      const details: AuditDetails['level.approved'] = {
        level: level.level,
        reviewer,
        reviewedAt: level.approvedAt ?? context.time,
        tier: change.tier,
        ...(level.onBehalfOf ? { onBehalfOf: level.onBehalfOf } : {}),
        ...(level.appeal?.to ? { onAppeal: true } : {}),
      };
      events.push({
        ...base,
        type: 'level.approved',
        actor: reviewer,
        subject: change.subject,
        details: { ...details, kind: change.kind, file: change.file },
      });
    }
  }
  if (evaluation.approved) {
    const approvers = evaluation.changes.flatMap((c) =>
      c.levels.map((l) => ({ level: l.level, reviewer: l.satisfiedBy ?? '', at: l.approvedAt ?? '' })),
    );
    const unique = [...new Map(approvers.map((a) => [`${a.level}\u0000${a.reviewer}`, a])).values()];
    const details: AuditDetails['request.approved'] = {
      tier: evaluation.tier,
      approvers: unique,
      author: context.author.toLowerCase(),
    };
    events.push({
      ...base,
      type: 'request.approved',
      actor: reviewer,
      details: {
        ...details,
        // person and grant say exactly what was approved: the reconciler provisions only that (apply.held).
        changes: evaluation.changes.map((c) => ({
          kind: c.kind,
          subject: c.subject,
          tier: c.tier,
          file: c.file,
          ...(c.person !== undefined ? { person: c.person } : {}),
          ...(c.grant
            ? {
                grant: {
                  system: c.grant.system,
                  role: c.grant.role,
                  ...(c.grant.expires !== undefined ? { expires: c.grant.expires } : {}),
                },
              }
            : {}),
        })),
      },
    });
  }
  return events;
}

/**
 * A pull request merged: `commit` is the commit GitHub made of it on the base branch (the merge
 * commit, the squashed commit, or the last rebased one: `merge_commit_sha`), so the reconciler can
 * link what lands on the branch to the approval of `head`.
 */
export function computeMergeEvent(options: {
  pr: number;
  head: string;
  mergeCommit: string;
  base: string;
  mergedBy: string;
  /** The pull request's author and title: who asked, and (when a file gives no reason) why. */
  author?: string;
  title?: string;
  time: string;
}): AuditEvent {
  const details: AuditDetails['request.merged'] = {
    head: options.head,
    base: options.base,
    mergedBy: options.mergedBy.toLowerCase(),
    ...(options.author ? { author: options.author.toLowerCase() } : {}),
    ...(options.title ? { title: options.title.slice(0, 300) } : {}),
  };
  return {
    time: options.time,
    type: 'request.merged',
    actor: options.mergedBy.toLowerCase(),
    pr: options.pr,
    commit: options.mergeCommit,
    details,
  };
}

type EventBase = { pr: number; commit: string; time: string };

/** The levels `reviewer` now rejects (their "changes requested" as an eligible approver). */
function rejectionEvents(evaluation: Evaluation, base: EventBase, reviewer: string): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (const change of evaluation.changes)
    for (const level of change.levels) {
      if (level.rejection?.login !== reviewer) continue;
      const details: AuditDetails['level.rejected'] = {
        level: level.level,
        reviewer,
        reason: level.rejection.reason,
        reviewedAt: level.rejection.at,
        tier: change.tier,
        kind: change.kind,
        file: change.file,
      };
      events.push({ ...base, type: 'level.rejected', actor: reviewer, subject: change.subject, details });
    }
  return events;
}

/** The rejections the author's appeal answers, and where each one goes now. */
function appealEvents(evaluation: Evaluation, base: EventBase, by: string): AuditEvent[] {
  const events: AuditEvent[] = [];
  const seen = new Set<string>();
  for (const change of evaluation.changes)
    for (const level of change.levels) {
      if (!level.appeal || !level.rejection || level.appeal.by.toLowerCase() !== by.toLowerCase()) continue;
      const key = `${level.level}\u0000${level.rejection.login}\u0000${level.appeal.at}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const details: AuditDetails['request.appealed'] = {
        text: level.appeal.text,
        level: level.level,
        rejectedBy: level.rejection.login,
        reason: level.rejection.reason,
        to: level.appeal.to,
      };
      events.push({ ...base, type: 'request.appealed', actor: by.toLowerCase(), subject: change.subject, details });
    }
  return events;
}

/**
 * A pull request closed without merging: the request is rejected. The record names who closed it
 * and, when a rejection was standing, the rejecting reviewer, their level and their words.
 */
export function computeRejectionEvent(options: {
  pr: number;
  commit: string;
  closedBy: string;
  time: string;
  /** The standing rejection at closing time, from the last evaluation, when there was one. */
  standing?: { reviewer: string; level: string; reason: string } | undefined;
}): AuditEvent {
  const closedBy = options.closedBy.toLowerCase();
  const details: AuditDetails['request.rejected'] = options.standing
    ? {
        reason: options.standing.reason || 'changes requested (no reason given)',
        reviewer: options.standing.reviewer,
        level: options.standing.level,
        closedBy,
      }
    : { reason: 'closed without merging', reviewer: closedBy, closedBy };
  return {
    time: options.time,
    type: 'request.rejected',
    actor: closedBy,
    pr: options.pr,
    commit: options.commit,
    details,
  };
}

/** The first standing rejection of an evaluation (what a closing records as the reason). */
export function standingRejection(
  evaluation: Evaluation,
): { reviewer: string; level: string; reason: string } | undefined {
  for (const change of evaluation.changes)
    for (const level of change.levels)
      if (level.rejection && (!level.appeal || level.appeal.to === null))
        return { reviewer: level.rejection.login, level: level.level, reason: level.rejection.reason };
  return undefined;
}
