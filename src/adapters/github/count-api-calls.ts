import type { GitHubClient } from './approval-octokit.js';

/** Requests made through one client, in total and per route (`GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews`). */
export interface ApiCallCounter {
  total: number;
  byRoute: Map<string, number>;
}

const counters = new WeakMap<GitHubClient, ApiCallCounter>();

/**
 * Counts the requests `octokit` makes from now on (each page of a paginated list is one; a
 * request retried after a rate limit is one, the wait is logged by the throttling plugin's
 * handler). Installed once per client; the app's clients are per event, so the counts are the
 * event's.
 * @example const calls = countApiCalls(octokit); await work(); log.debug({ calls: calls.total })
 */
export function countApiCalls(octokit: GitHubClient): ApiCallCounter {
  const existing = counters.get(octokit);
  if (existing) return existing;
  const counter: ApiCallCounter = { total: 0, byRoute: new Map() };
  counters.set(octokit, counter);
  octokit.hook.wrap('request', async (request, options) => {
    const route = `${options.method} ${routeOf(String(options.url))}`;
    // Installation tokens are created with the app's JWT: not part of the installation's budget.
    if (!/^POST \/app\/installations\//.test(route)) {
      counter.total++;
      counter.byRoute.set(route, (counter.byRoute.get(route) ?? 0) + 1);
    }
    return request(options);
  });
  return counter;
}

/** A route template as given (`/repos/{owner}/...`), or the path of a full URL (pages, GraphQL), without the query. */
function routeOf(url: string): string {
  if (!/^https?:/.test(url)) return url.split('?')[0]!;
  return new URL(url).pathname.replace(/^\/api\/v3(?=\/)/, '').replace(/^\/api\/graphql$/, '/graphql');
}

/** The calls counted since `before` (a copy taken with `snapshotCalls`), per route. */
export function callsSince(counter: ApiCallCounter, before: ApiCallCounter): ApiCallCounter {
  const byRoute = new Map<string, number>();
  for (const [route, n] of counter.byRoute) {
    const delta = n - (before.byRoute.get(route) ?? 0);
    if (delta > 0) byRoute.set(route, delta);
  }
  return { total: counter.total - before.total, byRoute };
}

export function snapshotCalls(counter: ApiCallCounter): ApiCallCounter {
  return { total: counter.total, byRoute: new Map(counter.byRoute) };
}
