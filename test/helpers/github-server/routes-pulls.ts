import { isOurs, notFound, paginate, unprocessable } from './route.js';
import type { Route, RouteAnswer, RouteRequest } from './route.js';
import type { CheckRunState, PullRequestState, RepositoryState } from './state.js';

/** "The Checks API limits the number of annotations to a maximum of 50 per API request." */
const ANNOTATIONS_PER_REQUEST = 50;
/** Check-run summaries and comment bodies: at most 65,535 / 65,536 characters, else 422. */
const MAX_SUMMARY = 65_535;
const MAX_COMMENT = 65_536;

/** The repository, pull requests, reviews, comments and check runs, as the app uses them. */
export const PULL_ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}',
    handle: (request, state) =>
      isOurs(request, state)
        ? {
            status: 200,
            body: {
              name: state.repo,
              full_name: `${state.owner}/${state.repo}`,
              owner: { login: state.owner },
              default_branch: state.defaultBranch,
            },
          }
        : notFound(),
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/pulls/{number}',
    handle: (request, state) => withPull(request, state, (pull) => ({ status: 200, body: pullJson(pull, state) })),
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/compare/{basehead}',
    handle: (request, state) => {
      const [base = '', head = ''] = decodeURIComponent(request.params['basehead']!).split('...');
      const store = state.store;
      const a = store.commitOf(base);
      const b = store.commitOf(head);
      if (!a || !b || !isOurs(request, state)) return notFound();
      const status =
        a === b ? 'identical' : store.isAncestor(a, b) ? 'ahead' : store.isAncestor(b, a) ? 'behind' : 'diverged';
      return { status: 200, body: { status, base_commit: { sha: a }, commits: [], files: [] } };
    },
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/commits/{sha}/pulls',
    handle: (request, state) => {
      if (!isOurs(request, state)) return notFound();
      const sha = request.params['sha']!;
      // "Lists the merged pull request that introduced the commit ... [or] open pull requests" containing it.
      const pulls = [...state.pulls.values()].filter((p) => state.store.isAncestor(sha, p.head.sha));
      return paginate(
        pulls.map((p) => pullJson(p, state)),
        request,
        `/repos/${state.owner}/${state.repo}/commits/${sha}/pulls`,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/pulls/{number}/reviews',
    handle: (request, state) =>
      withPull(request, state, (pull) =>
        paginate(pull.reviews, request, `/repos/${state.owner}/${state.repo}/pulls/${pull.number}/reviews`),
      ),
  },
  {
    method: 'POST',
    pattern: '/repos/{owner}/{repo}/pulls/{number}/requested_reviewers',
    handle: (request, state) =>
      withPull(request, state, (pull) => {
        const { reviewers = [], team_reviewers = [] } = request.body as {
          reviewers?: string[];
          team_reviewers?: string[];
        };
        if (reviewers.some((r) => r.toLowerCase() === pull.user.login.toLowerCase()))
          return unprocessable('Review cannot be requested from pull request author.');
        if (reviewers.length + team_reviewers.length > 15) return unprocessable('Too many reviewers');
        for (const r of reviewers) if (!pull.requestedReviewers.includes(r)) pull.requestedReviewers.push(r);
        for (const t of team_reviewers) if (!pull.requestedTeams.includes(t)) pull.requestedTeams.push(t);
        return { status: 201, body: pullJson(pull, state) };
      }),
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/issues/{number}/comments',
    handle: (request, state) => {
      if (!isOurs(request, state)) return notFound();
      const issue = Number(request.params['number']);
      return paginate(
        state.comments.filter((c) => c.issue === issue),
        request,
        `/repos/${state.owner}/${state.repo}/issues/${issue}/comments`,
      );
    },
  },
  {
    method: 'POST',
    pattern: '/repos/{owner}/{repo}/issues/{number}/comments',
    handle: (request, state) => {
      if (!isOurs(request, state)) return notFound();
      const body = String((request.body as { body?: unknown }).body ?? '');
      if (body.length > MAX_COMMENT) return unprocessable('Body is too long (maximum is 65536 characters)');
      const comment = {
        id: state.nextId(),
        issue: Number(request.params['number']),
        body,
        user: { login: state.botLogin, type: 'Bot' as const },
      };
      state.comments.push(comment);
      return { status: 201, body: comment };
    },
  },
  {
    method: 'PATCH',
    pattern: '/repos/{owner}/{repo}/issues/comments/{id}',
    handle: (request, state) => {
      const comment = state.comments.find((c) => c.id === Number(request.params['id']));
      if (!comment || !isOurs(request, state)) return notFound();
      const body = String((request.body as { body?: unknown }).body ?? '');
      if (body.length > MAX_COMMENT) return unprocessable('Body is too long (maximum is 65536 characters)');
      comment.body = body;
      return { status: 200, body: comment };
    },
  },
  {
    method: 'POST',
    pattern: '/repos/{owner}/{repo}/check-runs',
    handle: (request, state) => {
      if (!isOurs(request, state)) return notFound();
      const input = request.body as Record<string, any>;
      const problem = checkOutput(input['output']);
      if (problem) return problem;
      const run: CheckRunState = {
        id: state.nextId(),
        name: String(input['name']),
        head_sha: String(input['head_sha']),
        status: String(input['status'] ?? 'queued'),
        conclusion: (input['conclusion'] as string | undefined) ?? null,
        output: {
          title: input['output']?.title ?? '',
          summary: input['output']?.summary ?? '',
          annotations: [...(input['output']?.annotations ?? [])],
        },
        seq: state.checkRuns.length,
      };
      state.checkRuns.push(run);
      return { status: 201, body: checkRunJson(run) };
    },
  },
  {
    method: 'PATCH',
    pattern: '/repos/{owner}/{repo}/check-runs/{id}',
    handle: (request, state) => {
      const run = state.checkRuns.find((c) => c.id === Number(request.params['id']));
      if (!run || !isOurs(request, state)) return notFound();
      const input = request.body as Record<string, any>;
      const problem = checkOutput(input['output']);
      if (problem) return problem;
      if (input['status']) run.status = input['status'];
      if (input['conclusion']) run.conclusion = input['conclusion'];
      if (input['output']) {
        run.output.title = input['output'].title ?? run.output.title;
        run.output.summary = input['output'].summary ?? run.output.summary;
        // "Each time you update the check run, annotations are appended to the list."
        run.output.annotations.push(...(input['output'].annotations ?? []));
      }
      return { status: 200, body: checkRunJson(run) };
    },
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/check-runs/{id}',
    handle: (request, state) => {
      const run = state.checkRuns.find((c) => c.id === Number(request.params['id']));
      return run && isOurs(request, state) ? { status: 200, body: checkRunJson(run) } : notFound();
    },
  },
];

function withPull(
  request: RouteRequest,
  state: RepositoryState,
  answer: (pull: PullRequestState) => RouteAnswer,
): RouteAnswer {
  const pull = isOurs(request, state) ? state.pulls.get(Number(request.params['number'])) : undefined;
  return pull ? answer(pull) : notFound();
}

function checkOutput(output: { summary?: string; annotations?: unknown[] } | undefined): RouteAnswer | undefined {
  if ((output?.annotations?.length ?? 0) > ANNOTATIONS_PER_REQUEST)
    return unprocessable('Invalid request.\n\nOnly 50 annotations are allowed per request.');
  if ((output?.summary?.length ?? 0) > MAX_SUMMARY) return unprocessable('Invalid request.\n\nSummary is too long.');
  return undefined;
}

function checkRunJson(run: CheckRunState): object {
  return {
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    status: run.status,
    conclusion: run.conclusion,
    output: { title: run.output.title, summary: run.output.summary, annotations_count: run.output.annotations.length },
    app: { id: 1, slug: 'aac' },
  };
}

/** A pull request as the REST API returns it (the fields the app reads). */
export function pullJson(pull: PullRequestState, state: RepositoryState): object {
  const repository = {
    name: state.repo,
    full_name: `${state.owner}/${state.repo}`,
    owner: { login: state.owner },
    default_branch: state.defaultBranch,
  };
  return {
    number: pull.number,
    title: pull.title,
    state: pull.state,
    draft: pull.draft,
    merged: pull.merged,
    user: { login: pull.user.login, type: 'User' },
    base: { ref: pull.base.ref, sha: pull.base.sha, repo: repository },
    head: { ref: pull.head.ref, sha: pull.head.sha, repo: repository },
    requested_reviewers: pull.requestedReviewers.map((login) => ({ login, type: 'User' })),
    requested_teams: pull.requestedTeams.map((slug) => ({ slug, name: slug })),
  };
}
