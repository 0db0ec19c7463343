import type { ApplicationFunction, Context, Probot } from 'probot';
import type { GitHubClient } from '../../adapters/github/approval-octokit.js';
import { callsSince, countApiCalls, snapshotCalls } from '../../adapters/github/count-api-calls.js';
import { loadSchemas } from '../../adapters/fs/load-schemas.js';
import { FileCache } from '../../adapters/github/file-cache.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import type { SourceFile } from '../../core/source.js';
import { readCurrentPullRequest } from '../../adapters/github/read-pull-request.js';
import type { AuditLog } from '../../core/audit/audit-event.js';
import { computeMergeEvent, computeRejectionEvent } from '../../core/policy/compute-audit-events.js';
import type { EvaluationTrigger } from '../../core/policy/compute-audit-events.js';
import type { TeamMembers } from '../../core/policy/team-members.js';
import { createSchemaChecker } from '../../core/validate/schema-diagnostics.js';
import type { SchemaChecker } from '../../core/validate/schema-diagnostics.js';
import { CHECK_NAME, evaluateAndReport, reportFailure } from './evaluate-and-report.js';
import { registerRerunHandlers } from './register-rerun-handlers.js';
import type { PlanProvider, PullRequestFacts } from './evaluate-and-report.js';

/** Where a repository's audit events go. The app passes the installation's client. */
export type AuditLogFactory = (target: { octokit: GitHubClient; owner: string; repo: string }) => AuditLog;

export interface ApprovalAppOptions {
  /** The audit log for a repository (see `createAuditLogFor` for the production wiring). */
  auditLog: AuditLogFactory;
  /** The access folder relative to the repository root. Default `access`. */
  accessDir?: string;
  /** The clock, in ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Fixed team membership instead of reading it from GitHub (e.g. a workflow token cannot read teams). */
  teams?: TeamMembers;
  /** The directory plan for the comment, when a planner is wired in. */
  plan?: PlanProvider;
  /**
   * The branches whose pull requests are judged: those whose branch protection requires
   * `access-approvals`. Default: the repository's default branch. A check run belongs to a
   * commit, not to a pull request, so judging a pull request into any other branch would let the
   * same head commit be judged against a base that already holds its changes, and that verdict
   * would satisfy the pull request into the protected branch.
   */
  baseBranches?: readonly string[];
  /**
   * Blobs and parsed files kept between events, bounded (default: DEFAULT_CACHE_BYTES of
   * estimated heap). One per app: pull requests of a repository share most files.
   */
  cache?: FileCache;
}

const EVALUATE_ON = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.ready_for_review',
] as const;
const REVIEW_ON = [
  'pull_request_review.submitted',
  'pull_request_review.dismissed',
  'pull_request_review.edited',
] as const;
const HEAD_CHANGED = new Set(['opened', 'synchronize', 'reopened']);

/**
 * The approval app: evaluates pull requests on the events the design lists, writes the
 * `access-approvals` check run and the comment, and records rejections (closed unmerged).
 * The same function serves the GitHub App server and the Actions workflow.
 * @example await probot.load(createApprovalApp({ auditLog: createAuditLogFor }))
 */
export function createApprovalApp(options: ApprovalAppOptions): ApplicationFunction {
  let checker: SchemaChecker | undefined;
  // A parse kept in the cache is the same SourceFile at every event: its schema diagnostics are too.
  const checked = new WeakMap<SourceFile, Diagnostic[]>();
  const checkSchema: SchemaChecker = (source) => {
    let diagnostics = checked.get(source);
    if (!diagnostics) checked.set(source, (diagnostics = (checker ??= createSchemaChecker(loadSchemas()))(source)));
    return diagnostics;
  };
  const cache = options.cache ?? new FileCache();
  const now = options.now ?? Date.now;
  const accessDir = options.accessDir ?? 'access';

  return (app: Probot) => {
    const serial = createSerialQueue();
    const run = (context: EventContext, payload: PullRequestPayload, facts: PullRequestFacts): Promise<void> =>
      // One evaluation per pull request at a time: each reads the reviews when it starts, so two
      // overlapping ones could write their verdicts in the wrong order (an approval read before a
      // dismissal, written after it, would leave the check green).
      serial(`${facts.owner}/${facts.repo}#${facts.pull}`, () => evaluate(context, payload, facts));
    const evaluate = async (
      context: EventContext,
      event: PullRequestPayload,
      seen: PullRequestFacts,
    ): Promise<void> => {
      const judged = options.baseBranches ?? [event.repository.default_branch];
      const notJudged = (base: string): boolean => {
        if (judged.includes(base)) return false;
        // Writing anything here would set the verdict of a commit that may also be the head of a pull request into a judged branch.
        context.log.info(
          { pull: seen.pull, base },
          'pull request into a branch that is not judged; no check run written',
        );
        return true;
      };
      if (notJudged(event.pull_request.base.ref)) return;
      const octokit = context.octokit as unknown as GitHubClient;
      const counter = countApiCalls(octokit);
      const before = snapshotCalls(counter);
      let facts = seen;
      try {
        // Judge the pull request as it is now: this event may be older than one already judged.
        const current = await readCurrentPullRequest(octokit, {
          owner: seen.owner,
          repo: seen.repo,
          seen: event.pull_request,
        });
        if (!current) {
          context.log.info({ pull: seen.pull }, 'pull request no longer open; not judged');
          return;
        }
        if (notJudged(current.base.ref)) return;
        facts = factsOf(
          { repository: event.repository, pull_request: current },
          seen.author,
          seen.trigger,
          seen.requestReviews,
        );
        await evaluateAndReport(octokit, facts, {
          accessDir,
          checkSchema,
          now: now(),
          auditLog: options.auditLog({ octokit, owner: facts.owner, repo: facts.repo }),
          ...(options.teams ? { teams: options.teams } : {}),
          ...(options.plan ? { plan: options.plan } : {}),
          log: context.log,
          cache,
        });
      } catch (error) {
        // The required check must not stay green or missing when evaluation fails: say so, then let Probot log it.
        await reportFailure(octokit, facts, error).catch((second: unknown) =>
          context.log.error({ err: second }, 'could not write the failure check run'),
        );
        throw error;
      } finally {
        // The rate budget, per evaluation: constant in the number of files (README, "The approval app").
        const used = callsSince(counter, before);
        context.log.debug(
          { pull: seen.pull, calls: used.total, routes: Object.fromEntries(used.byRoute) },
          'GitHub API calls of this evaluation',
        );
      }
    };

    app.on([...EVALUATE_ON], async (context) => {
      await run(
        context,
        context.payload,
        factsOf(
          context.payload,
          context.payload.sender.login,
          { type: HEAD_CHANGED.has(context.payload.action) ? 'head-changed' : 'other' },
          true,
        ),
      );
    });
    // Changing the base branch changes what the pull request would merge: judge it again.
    app.on('pull_request.edited', async (context) => {
      if (!context.payload.changes.base) return;
      await run(
        context,
        context.payload,
        factsOf(context.payload, context.payload.sender?.login ?? '', { type: 'other' }, true),
      );
    });
    app.on([...REVIEW_ON], async (context) => {
      const review = context.payload.review;
      const trigger: EvaluationTrigger =
        context.payload.action === 'submitted' && review.user
          ? { type: 'review', reviewer: review.user.login, state: review.state }
          : { type: 'other' };
      await run(context, context.payload, factsOf(context.payload, context.payload.sender.login, trigger, false));
    });
    // The Re-run buttons: judge the pull request again, as it is now (reviews, teams, files).
    registerRerunHandlers(app, CHECK_NAME, async (context, payload) => {
      await run(context, payload, factsOf(payload, context.payload.sender.login, { type: 'other' }, false));
    });
    app.on('pull_request.closed', async (context) => {
      const pr = context.payload.pull_request;
      const { owner, repo } = context.repo();
      const octokit = context.octokit as unknown as GitHubClient;
      if (pr.merged) {
        if (!pr.merge_commit_sha) return;
        const merged = computeMergeEvent({
          pr: pr.number,
          head: pr.head.sha,
          mergeCommit: pr.merge_commit_sha,
          base: pr.base.ref,
          mergedBy: pr.merged_by?.login ?? context.payload.sender.login,
          ...(pr.user?.login ? { author: pr.user.login } : {}),
          title: pr.title,
          time: pr.merged_at ?? new Date(now()).toISOString(),
        });
        await options.auditLog({ octokit, owner, repo }).append([merged]);
        return;
      }
      const event = computeRejectionEvent({
        pr: pr.number,
        commit: pr.head.sha,
        closedBy: context.payload.sender.login,
        time: new Date(now()).toISOString(),
      });
      await options.auditLog({ octokit, owner, repo }).append([event]);
    });
  };
}

type EventContext = Context<'pull_request' | 'pull_request_review' | 'check_run' | 'check_suite'>;

/** The fields of a webhook's (or the REST API's) pull request that the evaluation reads. */
export interface PullRequestPayload {
  repository: { name: string; owner: { login: string }; default_branch: string };
  pull_request: {
    number: number;
    draft?: boolean;
    user: { login: string } | null;
    base: { sha: string; ref: string };
    head: { sha: string };
    requested_reviewers?: ReadonlyArray<object | null> | null;
    requested_teams?: ReadonlyArray<object | null> | null;
  };
}

function factsOf(
  payload: PullRequestPayload,
  sender: string,
  trigger: EvaluationTrigger,
  requestReviews: boolean,
): PullRequestFacts {
  const pr = payload.pull_request;
  const owner = payload.repository.owner.login;
  return {
    owner,
    repo: payload.repository.name,
    pull: pr.number,
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    author: pr.user?.login ?? sender,
    draft: pr.draft ?? false,
    // Requested reviewers may be users (login) or teams (slug), depending on the event.
    requestedUsers: (pr.requested_reviewers ?? []).flatMap((r) => stringField(r, 'login')),
    requestedTeams: [...(pr.requested_teams ?? []), ...(pr.requested_reviewers ?? [])].flatMap((t) =>
      stringField(t, 'slug').map((slug) => `${owner}/${slug}`),
    ),
    trigger,
    requestReviews,
  };
}

function stringField(value: object | null, key: string): string[] {
  const field = (value as Record<string, unknown> | null)?.[key];
  return typeof field === 'string' ? [field] : [];
}

/** Runs the work for one key after the previous work for that key has settled; keys run in parallel. */
function createSerialQueue(): (key: string, work: () => Promise<void>) => Promise<void> {
  const tails = new Map<string, Promise<void>>();
  return (key, work) => {
    const next = (tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
    tails.set(key, next);
    next.then(
      () => forget(key, next),
      () => forget(key, next),
    );
    return next;
  };
  function forget(key: string, settled: Promise<void>): void {
    if (tails.get(key) === settled) tails.delete(key);
  }
}
