import type { GitHubClient } from './approval-octokit.js';
import { gitHubError } from './github-error.js';

export interface StatusComment {
  owner: string;
  repo: string;
  issue: number;
  /** Hidden text that identifies the comment, e.g. `<!-- aac:access-approvals -->`. */
  marker: string;
  /** The full body; must contain `marker`. */
  body: string;
}

/**
 * Keeps ONE comment up to date: finds the comment carrying the marker (written by this app),
 * edits it if the body changed, or creates it. Returns what was done.
 */
export async function writeStatusComment(
  octokit: GitHubClient,
  comment: StatusComment,
): Promise<'created' | 'updated' | 'unchanged'> {
  const where = { owner: comment.owner, repo: comment.repo };
  try {
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
      ...where,
      issue_number: comment.issue,
      per_page: 100,
    })) {
      const found = page.data.find((c) => c.body?.includes(comment.marker) && c.user?.type === 'Bot');
      if (!found) continue;
      if (found.body === comment.body) return 'unchanged';
      await octokit.rest.issues.updateComment({ ...where, comment_id: found.id, body: comment.body });
      return 'updated';
    }
    await octokit.rest.issues.createComment({ ...where, issue_number: comment.issue, body: comment.body });
    return 'created';
  } catch (error) {
    throw gitHubError(`cannot write the status comment on #${comment.issue}`, error);
  }
}
