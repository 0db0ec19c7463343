import type { GitHubLimits } from './limits.js';
import { SECONDARY_MESSAGE } from './limits.js';

/** What a request costs: REST or GraphQL, and whether it writes (GitHub's points and content creation). */
export interface RequestCost {
  api: 'rest' | 'graphql';
  write: boolean;
}

export type Admission =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; status: number; headers: Record<string, string>; body: unknown; limit: 'secondary' | 'primary' };

/**
 * GitHub's rate limits for one installation: the primary hourly budget (REST and GraphQL each
 * their own) and the secondary limits (concurrency, points per window, content creation per
 * window). Once a secondary limit is hit, every request is refused until `retry-after` has
 * passed, as GitHub does ("continuing to make requests while you are rate limited may result
 * in the banning of your integration"): a client that does not wait keeps failing.
 */
export class RateLimiter {
  #inFlight = 0;
  #recent: Array<{ at: number; cost: RequestCost }> = [];
  #blockedUntil = 0;
  #hour = { start: 0, rest: 0, graphql: 0 };
  /** How many requests were refused, per limit. */
  readonly refused = { secondary: 0, primary: 0 };

  constructor(
    private readonly limits: GitHubLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Admits a request (call `done()` when its answer is sent) or says which limit refuses it. */
  admit(cost: RequestCost): Admission {
    const now = this.now();
    if (now - this.#hour.start >= 3_600_000) this.#hour = { start: now, rest: 0, graphql: 0 };
    const used = this.#hour[cost.api];
    const reset = Math.ceil((this.#hour.start + 3_600_000) / 1000);
    const primary = (remaining: number): Record<string, string> => ({
      'x-ratelimit-limit': String(this.limits.hourlyRequests),
      'x-ratelimit-remaining': String(Math.max(0, remaining)),
      'x-ratelimit-used': String(this.limits.hourlyRequests - Math.max(0, remaining)),
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-resource': cost.api === 'rest' ? 'core' : 'graphql',
    });
    if (used >= this.limits.hourlyRequests) {
      this.refused.primary++;
      return {
        ok: false,
        limit: 'primary',
        status: 403,
        headers: primary(0),
        body: {
          message: 'API rate limit exceeded for installation ID 1.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
      };
    }
    if (now < this.#blockedUntil || this.#secondaryExceeded(now, cost)) {
      if (now >= this.#blockedUntil) this.#blockedUntil = now + this.limits.retryAfterSeconds * 1000;
      this.refused.secondary++;
      return {
        ok: false,
        limit: 'secondary',
        status: this.limits.secondaryStatus,
        headers: {
          ...primary(this.limits.hourlyRequests - used),
          'retry-after': String(Math.ceil((this.#blockedUntil - now) / 1000)),
        },
        body: {
          message: SECONDARY_MESSAGE,
          documentation_url:
            'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
      };
    }
    this.#hour[cost.api]++;
    this.#inFlight++;
    this.#recent.push({ at: now, cost });
    return { ok: true, headers: primary(this.limits.hourlyRequests - used - 1) };
  }

  done(): void {
    this.#inFlight--;
  }

  #secondaryExceeded(now: number, cost: RequestCost): boolean {
    if (this.#inFlight + 1 > this.limits.concurrentRequests) return true;
    this.#recent = this.#recent.filter((r) => now - r.at < this.limits.windowMs);
    const points = (api: RequestCost['api']): number =>
      this.#recent.reduce((n, r) => n + (r.cost.api === api ? pointsOf(r.cost) : 0), 0);
    const limit = cost.api === 'rest' ? this.limits.restPoints : this.limits.graphqlPoints;
    if (points(cost.api) + pointsOf(cost) > limit) return true;
    if (!cost.write || cost.api !== 'rest') return false;
    const content = this.#recent.filter((r) => r.cost.write && r.cost.api === 'rest').length;
    return content + 1 > this.limits.contentRequests;
  }
}

/** "GET, HEAD, OPTIONS: 1 point; POST, PATCH, PUT, DELETE: 5 points; GraphQL without mutations: 1, with: 5." */
function pointsOf(cost: RequestCost): number {
  return cost.write ? 5 : 1;
}
