import { readdirSync, readFileSync } from 'node:fs';
import { examplePayload } from '../webhooks.js';
import { REPO_ROOT } from '../sample-tree.js';
import type { FileSpec } from './git-store.js';
import { pullJson } from './routes-pulls.js';
import type { PullRequestState, RepositoryState, ReviewState } from './state.js';

/** The repository's schemas and CODEOWNERS, as files to commit beside `access/`. */
export function governedFiles(codeowners = '* @example/access-approvers\n'): Map<string, string> {
  const files = new Map<string, string>([['.github/CODEOWNERS', codeowners]]);
  for (const name of readdirSync(`${REPO_ROOT}schemas`)
    .filter((f) => f.endsWith('.json'))
    .sort())
    files.set(`schemas/${name}`, readFileSync(`${REPO_ROOT}schemas/${name}`, 'utf8'));
  return files;
}

/** Opens pull request `number` from a new commit of `files` (on top of `base`, the default branch's tip by default). */
export function openPull(
  state: RepositoryState,
  options: { number: number; files: ReadonlyMap<string, FileSpec>; author: string; base?: string; draft?: boolean },
): PullRequestState {
  const baseSha = options.base ?? state.store.refs.get(state.defaultBranch)!;
  const headRef = `change-${options.number}`;
  const head = state.store.commitFiles(options.files, { parents: [baseSha], branch: headRef, message: 'change' });
  const pull: PullRequestState = {
    number: options.number,
    title: `Change ${options.number}`,
    state: 'open',
    draft: options.draft ?? false,
    merged: false,
    user: { login: options.author },
    base: { ref: state.defaultBranch, sha: baseSha },
    head: { ref: headRef, sha: head },
    requestedReviewers: [],
    requestedTeams: [],
    reviews: [],
  };
  state.pulls.set(pull.number, pull);
  return pull;
}

/** Pushes a new head commit of `files` to the pull request (a synchronize). */
export function pushToPull(
  state: RepositoryState,
  pull: PullRequestState,
  files: ReadonlyMap<string, FileSpec>,
): string {
  const sha = state.store.commitFiles(files, { parents: [pull.head.sha], branch: pull.head.ref, message: 'push' });
  pull.head.sha = sha;
  return sha;
}

/** Adds a review of the pull request's current head. */
export function addReview(
  state: RepositoryState,
  pull: PullRequestState,
  login: string,
  reviewState: ReviewState['state'] = 'APPROVED',
): ReviewState {
  const review: ReviewState = {
    id: state.nextId(),
    user: { login, type: 'User' },
    state: reviewState,
    commit_id: pull.head.sha,
    submitted_at: new Date(Date.parse('2026-11-22T10:00:00Z') + pull.reviews.length * 60_000).toISOString(),
    body: '',
  };
  pull.reviews.push(review);
  return review;
}

export type PullEventName =
  | { name: 'pull_request'; action: 'opened' | 'synchronize' | 'reopened' | 'ready_for_review' }
  | { name: 'pull_request_review'; action: 'submitted' | 'dismissed'; review: ReviewState }
  | { name: 'check_run'; action: 'rerequested' }
  | { name: 'check_suite'; action: 'rerequested' };

/**
 * The webhook payload GitHub sends for `event` on `pull`: a real example from
 * @octokit/webhooks-examples with the repository, pull request, shas and people of this one.
 */
export function pullEventPayload(state: RepositoryState, pull: PullRequestState, event: PullEventName): any {
  const payload = examplePayload(event.name, event.action);
  const repository = {
    ...payload.repository,
    name: state.repo,
    full_name: `${state.owner}/${state.repo}`,
    owner: { ...payload.repository.owner, login: state.owner },
    default_branch: state.defaultBranch,
  };
  const sender = { ...payload.sender, login: pull.user.login };
  const pr = { ...(payload.pull_request ?? {}), ...pullJson(pull, state) };
  const refs = {
    number: pull.number,
    head: { ref: pull.head.ref, sha: pull.head.sha },
    base: { ref: pull.base.ref, sha: pull.base.sha },
  };
  switch (event.name) {
    case 'pull_request':
      return { ...payload, number: pull.number, pull_request: pr, repository, sender };
    case 'pull_request_review':
      return {
        ...payload,
        pull_request: pr,
        repository,
        sender: { ...sender, login: event.review.user.login },
        review: {
          ...payload.review,
          ...event.review,
          user: { ...payload.review.user, login: event.review.user.login },
        },
      };
    case 'check_run':
      return {
        ...payload,
        repository,
        sender,
        check_run: { ...payload.check_run, name: 'access-approvals', head_sha: pull.head.sha, pull_requests: [refs] },
      };
    case 'check_suite':
      return {
        ...payload,
        repository,
        sender,
        check_suite: { ...payload.check_suite, head_sha: pull.head.sha, pull_requests: [refs] },
      };
  }
}
