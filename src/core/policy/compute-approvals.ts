/**
 * A review as GitHub's "list reviews for a pull request" endpoint returns it (only the fields
 * used here). `--reviews FILE` takes that JSON as is.
 */
export interface Review {
  user: { login: string } | null;
  /** `APPROVED`, `CHANGES_REQUESTED`, `COMMENTED`, `DISMISSED` or `PENDING`. */
  state: string;
  commit_id?: string | null;
  /** ISO 8601; absent for pending reviews. */
  submitted_at?: string | null;
  /** The review's text: the reason of a rejection. */
  body?: string | null;
}

/** A reviewer's standing "changes requested": a rejection, with the reviewer's words. */
export interface Rejection {
  /** Lower-case login. */
  login: string;
  /** The review's text ('' when the reviewer wrote none). */
  reason: string;
  /** ISO 8601 time of the review. */
  at: string;
}

/** A `/appeal <text>` by the pull request's author (read from its comments by the caller). */
export interface Appeal {
  /** Lower-case login of who appealed. */
  by: string;
  text: string;
  /** ISO 8601 time of the comment. */
  at: string;
}

/** An approval that counts: the reviewer's latest review approves the head commit. */
export interface Approval {
  /** Lower-case login. */
  login: string;
  /** ISO 8601 time of the approving review. */
  at: string;
}

/**
 * The approvals that count, by lower-case login. Only each reviewer's latest review counts,
 * so a later "changes requested" or a dismissal cancels an approval. Comments and pending
 * reviews are not verdicts (GitHub keeps the approval when a reviewer only comments later),
 * so they are skipped. An approval counts only if it is of `headSha`: a push after the
 * approval means the approver has not seen what would be merged.
 * @example computeApprovals([{ user: { login: 'A' }, state: 'APPROVED', commit_id: 'abc', submitted_at: '2026-11-22T10:00:00Z' }], 'abc') // Map { 'a' => { login: 'a', at: '2026-11-22T10:00:00Z' } }
 */
export function computeApprovals(reviews: readonly Review[], headSha: string): Map<string, Approval> {
  return computeVerdicts(reviews, headSha).approvals;
}

/**
 * Each reviewer's standing verdict: approvals (of `headSha` only, see `computeApprovals`) and
 * rejections (a latest review that requests changes, whatever commit it was on: it stands until
 * the reviewer approves, or the review is dismissed).
 */
export function computeVerdicts(
  reviews: readonly Review[],
  headSha: string,
): { approvals: Map<string, Approval>; rejections: Map<string, Rejection> } {
  const latest = new Map<string, Review>();
  // GitHub lists reviews oldest first; sorting by time (stable) also accepts files in any order.
  const ordered = reviews
    .map((review, index) => ({
      review,
      index,
      time: review.submitted_at ? Date.parse(review.submitted_at) : Number.NaN,
    }))
    .sort((a, b) =>
      Number.isNaN(a.time) || Number.isNaN(b.time) ? a.index - b.index : a.time - b.time || a.index - b.index,
    );
  for (const { review } of ordered) {
    const login = review.user?.login?.toLowerCase();
    if (!login || review.state === 'COMMENTED' || review.state === 'PENDING') continue;
    latest.set(login, review);
  }
  const approvals = new Map<string, Approval>();
  const rejections = new Map<string, Rejection>();
  for (const [login, review] of latest) {
    if (review.state === 'APPROVED' && review.commit_id === headSha)
      approvals.set(login, { login, at: review.submitted_at ?? '' });
    else if (review.state === 'CHANGES_REQUESTED')
      rejections.set(login, { login, reason: (review.body ?? '').trim(), at: review.submitted_at ?? '' });
  }
  return { approvals, rejections };
}
