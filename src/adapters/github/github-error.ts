import { GitHubError } from '../../errors.js';

/** The HTTP status of an Octokit error, when it has one (a network error has none). */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The one way an adapter reports a failed GitHub call: a GitHubError saying what could not be done,
 * with the HTTP status and the Octokit error as `cause` (Octokit redacts the token from it).
 * @example throw gitHubError(`cannot read pull request #${pull}`, error)
 */
export function gitHubError(what: string, error: unknown): GitHubError {
  const status = statusOf(error);
  return new GitHubError(what, { cause: error, ...(status !== undefined ? { status } : {}) });
}
