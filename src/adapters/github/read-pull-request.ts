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
