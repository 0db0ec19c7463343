import type { GitHubClient } from './approval-octokit.js';
import { gitHubError } from './github-error.js';

/** GitHub refuses more than 15 requested reviewers (users and teams together) on a pull request. */
export const MAX_REVIEW_REQUESTS = 15;

/**
 * Requests reviews from users and same-organization teams (`org/slug`). Teams of other
 * organizations cannot be requested and are left out. Does nothing when both lists are empty.
 */
export async function requestReviewers(
  octokit: GitHubClient,
  options: { owner: string; repo: string; pull: number; users: readonly string[]; teams: readonly string[] },
): Promise<void> {
  const sameOrg = options.teams
    .filter((t) => t.split('/')[0]?.toLowerCase() === options.owner.toLowerCase())
    .map((t) => t.split('/')[1]!);
  const teams = sameOrg.slice(0, MAX_REVIEW_REQUESTS);
  const users = options.users.slice(0, MAX_REVIEW_REQUESTS - teams.length);
  if (users.length === 0 && teams.length === 0) return;
  try {
    await octokit.rest.pulls.requestReviewers({
      owner: options.owner,
      repo: options.repo,
      pull_number: options.pull,
      reviewers: users,
      team_reviewers: teams,
    });
  } catch (error) {
    throw gitHubError(`cannot request reviews on #${options.pull}`, error);
  }
}
