import type { Review } from '../../core/policy/compute-approvals.js';
import type { GitHubClient } from './approval-octokit.js';
import { gitHubError } from './github-error.js';

/** Every review of a pull request, oldest first (100 per request: one request for almost every pull request). */
export async function readReviews(
  octokit: GitHubClient,
  options: { owner: string; repo: string; pull: number },
): Promise<Review[]> {
  try {
    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
      owner: options.owner,
      repo: options.repo,
      pull_number: options.pull,
      per_page: 100,
    });
    return reviews.map((r) => ({
      user: r.user ? { login: r.user.login } : null,
      state: r.state,
      commit_id: r.commit_id,
      submitted_at: r.submitted_at ?? null,
      body: r.body ?? null,
    }));
  } catch (error) {
    throw gitHubError(`cannot read the reviews of pull request #${options.pull}`, error);
  }
}
