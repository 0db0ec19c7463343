/**
 * The limits the test GitHub enforces. The defaults are GitHub.com's, each with its source; tests
 * lower them (a 1-second window, 20 points) to reach a limit with a few requests.
 */
export interface GitHubLimits {
  /**
   * Git trees API with `recursive`: at most 100,000 entries, then `truncated: true` with the
   * entries that fit. Source: REST "Get a tree" (docs.github.com/en/rest/git/trees#get-a-tree):
   * "The limit for the tree array is 100,000 entries with a maximum size of 7 MB when using the
   * recursive parameter."
   */
  treeEntries: number;
  /** The same page: at most 7 MB of JSON for a recursive tree, then `truncated: true`. */
  treeBytes: number;
  /**
   * Contents API on a directory: the first 1,000 entries only, silently. Source: REST "Get
   * repository content": "This API has an upper limit of 1,000 files for a directory. If you need
   * to retrieve more files, use the Git Trees API."
   */
  directoryEntries: number;
  /**
   * Contents API on a file: content only up to 1 MB; larger files come back with `content: ""`
   * and `encoding: "none"`. Source: the same page ("Files between 1-100 MB: Only the raw or
   * object custom media types are supported ... the content field will be an empty string").
   */
  contentsFileBytes: number;
  /**
   * GraphQL: total `Blob.text` bytes one query may return before GitHub answers HTTP 500 "Something
   * went wrong while executing your query". Undocumented; reported for directories of a few
   * dozen files totalling ~100 KB (hunvreus/pagescms#423: 29 files, 107 KB; conwnet/github1s#90
   * and #110, which moved to one-level queries). The real threshold may be lower: stay well below.
   */
  graphqlTextBytes: number;
  /**
   * GraphQL: at most 500,000 nodes per query, and `first`/`last` of 1-100 on every connection.
   * Source: "Rate limits and query limits for the GraphQL API", "Node limit".
   */
  graphqlNodes: number;
  /**
   * Secondary limit: no more than 100 concurrent requests, REST and GraphQL together. Source:
   * "Rate limits for the REST API", "About secondary rate limits".
   */
  concurrentRequests: number;
  /**
   * Secondary limit: REST points per window (900 per minute; GET/HEAD/OPTIONS cost 1, POST/
   * PATCH/PUT/DELETE cost 5). Source: the same page, "Calculating points for the secondary rate limit".
   */
  restPoints: number;
  /** Secondary limit: GraphQL points per window (2,000 per minute; a query costs 1, a mutation 5). Same source. */
  graphqlPoints: number;
  /**
   * Secondary limit: content-generating requests (creating comments, check runs, commits...) per
   * window: "no more than 80 content-generating requests per minute". Same source.
   */
  contentRequests: number;
  /** The secondary limits' window, in ms: 60,000 on GitHub. */
  windowMs: number;
  /**
   * What GitHub answers a secondary limit with: "403 or 429 status code and an error message that
   * indicates that you exceeded a secondary rate limit", and a `retry-after` header in seconds.
   */
  secondaryStatus: 403 | 429;
  /** The `retry-after` of a secondary limit, in whole seconds (GitHub sends what it wants; often 60). */
  retryAfterSeconds: number;
  /**
   * Primary limit: requests per hour for an installation: 5,000 (more for organisations with
   * over 20 users or repositories, up to 12,500). Source: "Rate limits for GitHub Apps".
   * Past it: 403 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset`.
   */
  hourlyRequests: number;
}

export const GITHUB_LIMITS: GitHubLimits = {
  treeEntries: 100_000,
  treeBytes: 7 * 1024 * 1024,
  directoryEntries: 1_000,
  contentsFileBytes: 1024 * 1024,
  graphqlTextBytes: 100 * 1024,
  graphqlNodes: 500_000,
  concurrentRequests: 100,
  restPoints: 900,
  graphqlPoints: 2_000,
  contentRequests: 80,
  windowMs: 60_000,
  secondaryStatus: 403,
  retryAfterSeconds: 60,
  hourlyRequests: 5_000,
};

/** GitHub's message for a secondary limit; Octokit's throttling plugin recognises it by "secondary rate". */
export const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.';

/** GitHub's answer to a GraphQL query it cannot serve (here: too much blob text). */
export const SOMETHING_WENT_WRONG =
  'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `0000:0000:0000000:0000000:00000000` when reporting this issue.';
