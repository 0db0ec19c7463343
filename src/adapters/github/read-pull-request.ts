import type { GitHubClient } from './approval-octokit.js';
import { gitHubError } from './github-error.js';

/** The fields of a pull request the evaluation reads, as the REST API returns them. */
export interface PullRequestRecord {
  number: number;
  state: string;
  draft?: boolean;
  user: { login: string } | null;
  base: { sha: string; ref: string };
  head: { sha: string };
  requested_reviewers?: Array<{ login: string }> | null;
  requested_teams?: Array<{ slug: string }> | null;
}

/** One pull request (one request). */
export async function readPullRequest(
  octokit: GitHubClient,
  options: { owner: string; repo: string; pull: number },
): Promise<PullRequestRecord> {
  try {
    const { data } = await octokit.rest.pulls.get({
      owner: options.owner,
      repo: options.repo,
      pull_number: options.pull,
    });
    return data;
  } catch (error) {
    throw gitHubError(`cannot read pull request #${options.pull}`, error);
  }
}

/** The open pull requests whose head is `sha` (one request; 100 is far more than one commit heads). */
export async function readPullRequestsOfCommit(
  octokit: GitHubClient,
  options: { owner: string; repo: string; sha: string },
): Promise<PullRequestRecord[]> {
  try {
    const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: options.owner,
      repo: options.repo,
      commit_sha: options.sha,
      per_page: 100,
    });
    return data.filter((p) => p.state === 'open' && p.head.sha === options.sha);
  } catch (error) {
    throw gitHubError(`cannot find the pull requests of commit ${options.sha}`, error);
  }
}

/**
 * The pull request as it is now, for judging it: an event's payload may be older than a later
 * event already processed (GitHub does not deliver in order), and a verdict written from it would
 * describe a head that is no longer the pull request's. Undefined when it is no longer open. When
 * the API names another head than the event, the event's head is kept only if it descends from
 * the API's (the API not having caught up with a push yet): one more request, in that case only.
 */
export async function readCurrentPullRequest(
  octokit: GitHubClient,
  options: { owner: string; repo: string; seen: { number: number; head: { sha: string } } },
): Promise<PullRequestRecord | undefined> {
  const current = await readPullRequest(octokit, {
    owner: options.owner,
    repo: options.repo,
    pull: options.seen.number,
  });
  if (current.state !== 'open') return undefined;
  if (current.head.sha === options.seen.head.sha) return current;
  let status: string;
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: options.owner,
      repo: options.repo,
      basehead: `${current.head.sha}...${options.seen.head.sha}`,
      per_page: 1,
    });
    status = data.status;
  } catch (error) {
    throw gitHubError(`cannot compare the heads of pull request #${options.seen.number}`, error);
  }
  return status === 'ahead' ? { ...current, head: { ...current.head, sha: options.seen.head.sha } } : current;
}
