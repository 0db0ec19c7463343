import type { GitHubClient } from './approval-octokit.js';
import { gitHubError } from './github-error.js';

/** A comment of a pull request's conversation, with the fields aac reads. */
export interface IssueComment {
  id: number;
  body: string;
  user: { login: string; type: string } | null;
  /** ISO 8601. */
  created_at: string;
}

/**
 * Every comment of a pull request's conversation, oldest first (100 per request: one request for
 * almost every pull request). Read once per evaluation: the `/appeal` commands and the app's own
 * status comment both come from it.
 */
export async function readComments(
  octokit: GitHubClient,
  options: { owner: string; repo: string; issue: number },
): Promise<IssueComment[]> {
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: options.owner,
      repo: options.repo,
      issue_number: options.issue,
      per_page: 100,
    });
    return comments.map((c) => ({
      id: c.id,
      body: c.body ?? '',
      user: c.user ? { login: c.user.login, type: c.user.type } : null,
      created_at: c.created_at,
    }));
  } catch (error) {
    throw gitHubError(`cannot read the comments of pull request #${options.issue}`, error);
  }
}
