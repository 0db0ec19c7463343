import type { GitHubClient } from './approval-octokit.js';
import type { IssueComment } from './read-comments.js';
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
 * Keeps ONE comment up to date: finds the comment carrying the marker (written by a bot: this
 * app) among `existing` (the pull request's comments, read once per evaluation), edits it if the
 * body changed, or creates it. Returns what was done.
 */
export async function writeStatusComment(
  octokit: GitHubClient,
  comment: StatusComment,
  existing: readonly IssueComment[],
): Promise<'created' | 'updated' | 'unchanged'> {
  const where = { owner: comment.owner, repo: comment.repo };
  try {
    const found = existing.find((c) => c.body.includes(comment.marker) && c.user?.type === 'Bot');
    if (found && found.body === comment.body) return 'unchanged';
    if (found) {
      await octokit.rest.issues.updateComment({ ...where, comment_id: found.id, body: comment.body });
      return 'updated';
    }
    await octokit.rest.issues.createComment({ ...where, issue_number: comment.issue, body: comment.body });
    return 'created';
  } catch (error) {
    throw gitHubError(`cannot write the status comment on #${comment.issue}`, error);
  }
}
