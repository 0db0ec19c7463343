import { ProbotOctokit } from 'probot';

/** How many times a rate-limited request is retried after waiting what GitHub asks. */
const RATE_LIMIT_RETRIES = 2;

export interface ApprovalOctokitOptions {
  /** Retry transient failures (5xx, network) with back-off. Off in tests so failures show at once. */
  retry?: boolean;
  /** Queue and pace requests, waiting out rate limits. Off in tests: it spaces writes by about a second. */
  throttle?: boolean;
}

/**
 * The Octokit class every GitHub call of the app goes through: Probot's (with its auth) plus the
 * retry and throttling plugins, configured in this one place. Rate limits are waited out at
 * most twice, so a stuck installation fails the event instead of queueing forever.
 * @example new Probot({ appId, privateKey, Octokit: createApprovalOctokit() })
 */
export function createApprovalOctokit(options: ApprovalOctokitOptions = {}): typeof ProbotOctokit {
  const retry = options.retry ?? true;
  const throttle = options.throttle ?? true;
  const onLimit = (_after: number, _request: unknown, _octokit: unknown, retryCount: number): boolean =>
    retryCount < RATE_LIMIT_RETRIES;
  // The function form of `defaults`: ProbotOctokit merges plain-object throttle options in a way that keeps throttling on.
  return ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
    ...instance,
    retry: { enabled: retry },
    throttle: { enabled: throttle, onRateLimit: onLimit, onSecondaryRateLimit: onLimit },
  })) as typeof ProbotOctokit;
}

/** The Octokit instance type the GitHub adapters take. */
export type GitHubClient = InstanceType<typeof ProbotOctokit>;
