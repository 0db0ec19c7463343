import type { Logger } from 'probot';
import type { GitHubClient } from '../../adapters/github/approval-octokit.js';
import { readReviews } from '../../adapters/github/read-reviews.js';
import type { FileCache } from '../../adapters/github/file-cache.js';
import { readSidesFromGitHub } from '../../adapters/github/read-side-from-github.js';
import { parseSidesWithCache } from '../../adapters/parse/parse-sides-with-cache.js';
import { readTeamMembers } from '../../adapters/github/read-team-members.js';
import { requestReviewers } from '../../adapters/github/request-reviewers.js';
import { writeCheckRun } from '../../adapters/github/write-check-run.js';
import type { Annotation } from '../../adapters/github/write-check-run.js';
import { writeStatusComment } from '../../adapters/github/write-status-comment.js';
import { renderTemplate } from '../../adapters/render/render-template.js';
import type { AuditLog } from '../../core/audit/audit-event.js';
import { computeAuditEvents } from '../../core/policy/compute-audit-events.js';
import type { EvaluationTrigger } from '../../core/policy/compute-audit-events.js';
import { computeReviewRequests } from '../../core/policy/compute-review-requests.js';
import { evaluatePullRequest, referencedTeamsOf } from '../../core/policy/evaluate-pull-request.js';
import type { Evaluation, EvaluationStatus, PullRequestSide } from '../../core/policy/evaluate-pull-request.js';
import { COMMENT_MARKER, computeCommentView } from '../../core/policy/compute-comment-view.js';
import type { PlanSection } from '../../core/plan/compute-plan-section.js';
import type { TeamMembers } from '../../core/policy/team-members.js';
import type { SchemaChecker } from '../../core/validate/schema-diagnostics.js';

/** The check run that branch protection requires. */
export const CHECK_NAME = 'access-approvals';

/** Computes the directory plan to show on the pull request (the reconciler's `computePlan`), when wired. */
export type PlanProvider = (input: {
  base: PullRequestSide;
  head: PullRequestSide;
  evaluation: Evaluation;
}) => Promise<PlanSection | undefined>;

/** Everything about the event the handler needs, taken from the webhook payload. */
export interface PullRequestFacts {
  owner: string;
  repo: string;
  pull: number;
  baseSha: string;
  headSha: string;
  author: string;
  draft: boolean;
  requestedUsers: string[];
  requestedTeams: string[];
  trigger: EvaluationTrigger;
  /** Whether to ask the missing levels' people for reviews (pull request events, not review events). */
  requestReviews: boolean;
}

export interface ReportOptions {
  accessDir: string;
  checkSchema: SchemaChecker;
  now: number;
  auditLog: AuditLog;
  /** Fixed team membership; when absent it is read from GitHub (needs organization members: read). */
  teams?: TeamMembers;
  plan?: PlanProvider;
  log: Logger;
  /** Blobs and parses kept between events (see FileCache): a review event reads and parses no file. */
  cache: FileCache;
}

const CONCLUSION: Record<EvaluationStatus, 'success' | 'action_required' | 'failure'> = {
  approved: 'success',
  missing: 'action_required',
  blocked: 'failure',
};

/**
 * The app's work for one event: read both sides (their trees, and the files not already in the
 * cache), the reviews and the teams, evaluate, then write the check run, the one comment, review
 * requests and audit events. The number of API calls does not depend on how many files the
 * repository has, and on a push grows with the changed bytes only up to a few queries (then
 * one archive download): README, "Rate limits".
 */
export async function evaluateAndReport(
  octokit: GitHubClient,
  facts: PullRequestFacts,
  options: ReportOptions,
): Promise<Evaluation> {
  const where = { owner: facts.owner, repo: facts.repo };
  const started = performance.now();
  const [{ base, head, counts }, reviews] = await Promise.all([
    readSidesFromGitHub(octokit, {
      ...where,
      base: facts.baseSha,
      head: facts.headSha,
      accessDir: options.accessDir,
      cache: options.cache,
      fetch: { warn: (fields, message) => options.log.warn(fields, message) },
    }),
    readReviews(octokit, { ...where, pull: facts.pull }),
  ]);
  const teams = options.teams ?? (await readTeamMembers(octokit, referencedTeamsOf(base, options.accessDir)));
  const read = performance.now();
  const { parsed, parsedNow, remember } = await parseSidesWithCache(base, head, options.cache);
  const parsedAt = performance.now();
  const evaluation = evaluatePullRequest({
    root: options.accessDir,
    base,
    head,
    headSha: facts.headSha,
    author: facts.author,
    reviews,
    teams,
    checkSchema: options.checkSchema,
    now: options.now,
    parsed,
  });
  remember();
  const ms = {
    read: Math.round(read - started),
    parse: Math.round(parsedAt - read),
    evaluate: Math.round(performance.now() - parsedAt),
  };
  options.log.debug(
    { pull: facts.pull, reads: counts, parsed: parsedNow, ms, cache: options.cache.stats() },
    'files read',
  );
  const plan = await options.plan?.({ base, head, evaluation });
  const body = renderTemplate('pull-request-comment.md', computeCommentView(evaluation, plan));

  await writeCheckRun(octokit, {
    ...where,
    name: CHECK_NAME,
    headSha: facts.headSha,
    conclusion: CONCLUSION[evaluation.status],
    title: checkTitle(evaluation),
    summary: body.replace(COMMENT_MARKER, '').trim(),
    annotations: toAnnotations(evaluation),
  });
  await writeStatusComment(octokit, { ...where, issue: facts.pull, marker: COMMENT_MARKER, body });
  if (facts.requestReviews && !facts.draft) {
    const wanted = computeReviewRequests(evaluation, {
      users: [...facts.requestedUsers, facts.author],
      teams: facts.requestedTeams,
    });
    await requestReviewers(octokit, { ...where, pull: facts.pull, ...wanted });
  }
  const events = computeAuditEvents(evaluation, {
    pr: facts.pull,
    author: facts.author,
    time: new Date(options.now).toISOString(),
    trigger: facts.trigger,
  });
  if (events.length > 0) await options.auditLog.append(events);
  options.log.info(
    { pull: facts.pull, status: evaluation.status, changes: evaluation.changes.length },
    'access approvals evaluated',
  );
  return evaluation;
}

/** Writes a failure check run saying why the evaluation could not run; the message is ours and holds no secret. */
export async function reportFailure(
  octokit: GitHubClient,
  facts: Pick<PullRequestFacts, 'owner' | 'repo' | 'headSha'>,
  error: unknown,
): Promise<void> {
  const kind = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  await writeCheckRun(octokit, {
    owner: facts.owner,
    repo: facts.repo,
    name: CHECK_NAME,
    headSha: facts.headSha,
    conclusion: 'failure',
    title: 'The access approvals could not be evaluated',
    summary: `${kind}: ${message}\n\nRe-run the check or push again; the details are in the app's log.`,
    annotations: [],
  });
}

function checkTitle(evaluation: Evaluation): string {
  const missing = evaluation.changes.reduce((n, c) => n + c.levels.filter((l) => l.satisfiedBy === null).length, 0);
  const errors = evaluation.diagnostics.filter((d) => d.severity === 'error').length;
  const blocked = evaluation.changes.filter((c) => c.blocked.length > 0).length;
  if (evaluation.status === 'approved')
    return evaluation.changes.length === 0 ? 'No access changes' : `Approved (${evaluation.tier})`;
  if (evaluation.status === 'missing')
    return `${missing} approval${missing === 1 ? '' : 's'} missing (${evaluation.tier})`;
  return [
    errors > 0 ? `${errors} error${errors === 1 ? '' : 's'} in the access files` : '',
    blocked > 0 ? `${blocked} blocked change${blocked === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** Validation diagnostics and blocked changes as annotations on the head files. */
export function toAnnotations(evaluation: Evaluation): Annotation[] {
  const annotations: Annotation[] = evaluation.diagnostics.map((d) => ({
    path: d.file,
    start_line: d.line,
    end_line: d.line,
    start_column: d.column,
    end_column: d.column,
    annotation_level: d.severity === 'error' ? 'failure' : 'warning',
    title: d.code,
    message: d.message,
  }));
  for (const change of evaluation.changes) {
    if (change.blocked.length === 0) continue;
    annotations.push({
      path: change.file,
      start_line: change.line,
      end_line: change.line,
      annotation_level: 'failure',
      title: 'BLOCKED',
      message: `${change.kind} ${change.subject} is blocked: ${change.blocked.join(', ')}`,
    });
  }
  return annotations;
}
