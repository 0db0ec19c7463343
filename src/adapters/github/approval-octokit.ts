import Bottleneck from 'bottleneck';
import { ProbotOctokit } from 'probot';

/** How many times a request refused by the hourly (primary) limit is retried after the reset. */
const PRIMARY_LIMIT_RETRIES = 2;
/**
 * How many times a request refused by a secondary limit is retried, each after the
 * `retry-after` GitHub sends (60 s when it sends none). GitHub asks clients to wait and retry;
 * giving up after a couple of refusals would drop the event under a burst, and never giving up
 * would queue forever on a stuck installation.
 */
const SECONDARY_LIMIT_RETRIES = 6;
/** GitHub's guidance for content-creating requests: "wait at least one second between each request". */
export const WRITE_SPACING_MS = 1000;
/** Writes that notify people (new comments, review requests): the throttling plugin's own 3 s. */
export const NOTIFICATION_SPACING_MS = 3000;

export interface ApprovalOctokitOptions {
  /** Retry transient failures (5xx, network) with back-off. Off in tests so failures show at once. */
  retry?: boolean;
  /** Queue and pace requests, waiting out rate limits. Off in tests that do not exercise it. */
  throttle?: boolean;
  /**
   * Milliseconds between two writes (POST, PATCH, PUT, DELETE) of one installation. Default
   * WRITE_SPACING_MS, as GitHub asks; tests that deliver hundreds of events use less.
   */
  writeSpacingMs?: number;
  /** Milliseconds between two writes that notify people (a new comment, review requests). Default NOTIFICATION_SPACING_MS. */
  notificationSpacingMs?: number;
}

/**
 * The Octokit class every GitHub call of the app goes through: Probot's (with its auth) plus the
 * retry and throttling plugins, configured in this one place. Requests are paced per
 * installation (the throttling plugin's queues are keyed by installation, so one busy
 * installation does not slow the others); rate limits are waited out as GitHub asks, a bounded
 * number of times, so a stuck installation fails the event instead of queueing forever.
 * @example new Probot({ appId, privateKey, Octokit: createApprovalOctokit() })
 */
export function createApprovalOctokit(options: ApprovalOctokitOptions = {}): typeof ProbotOctokit {
  const retry = options.retry ?? true;
  const throttle = options.throttle ?? true;
  const spacing = options.writeSpacingMs ?? WRITE_SPACING_MS;
  // The plugin's own queues are shared by the whole process; these are ours to configure (tests deliver hundreds of events).
  const write = new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing });
  const notifications = new Bottleneck.Group({
    maxConcurrent: 1,
    minTime: options.notificationSpacingMs ?? NOTIFICATION_SPACING_MS,
  });
  const onPrimary = (_after: number, _request: unknown, _octokit: unknown, retryCount: number): boolean =>
    retryCount < PRIMARY_LIMIT_RETRIES;
  const onSecondary = (after: number, request: RequestInfo, octokit: WithLog, retryCount: number): boolean => {
    octokit.log.warn(
      { retryAfter: after, method: request.method, url: request.url, retryCount },
      'GitHub secondary rate limit: waiting as asked',
    );
    return retryCount < SECONDARY_LIMIT_RETRIES;
  };
  // The function form of `defaults`: ProbotOctokit merges plain-object throttle options in a way that keeps throttling on.
  return ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
    ...instance,
    retry: { enabled: retry },
    throttle: {
      enabled: throttle,
      id: installationOf(instance),
      write,
      notifications,
      onRateLimit: onPrimary,
      onSecondaryRateLimit: onSecondary,
    },
  })) as typeof ProbotOctokit;
}

interface RequestInfo {
  method?: string;
  url?: string;
}
interface WithLog {
  log: { warn: (fields: object, message: string) => void };
}

/** The throttling queue's key: the installation the client acts for, or `app` for the app's own JWT client. */
function installationOf(instance: Record<string, unknown>): string {
  const auth = instance['auth'] as { installationId?: unknown } | undefined;
  return auth?.installationId === undefined ? 'app' : `installation-${String(auth.installationId)}`;
}

/** The Octokit instance type the GitHub adapters take. */
export type GitHubClient = InstanceType<typeof ProbotOctokit>;
