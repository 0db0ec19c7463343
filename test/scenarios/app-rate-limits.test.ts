import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../helpers/github-server/app-harness.js';
import type { AppHarness } from '../helpers/github-server/app-harness.js';
import { openPull, pullEventPayload, seedSample, startTestGitHub } from '../helpers/github-server/index.js';
import type { PullRequestState, TestGitHub, TestGitHubOptions } from '../helpers/github-server/index.js';
import { grant } from '../helpers/pull-request.js';

// The app against a GitHub that enforces secondary rate limits (403 + retry-after) with
// thresholds low enough that a handful of events reach them.

const JSMITH = 'access/people/jsmith.yaml';
const TIGHT: TestGitHubOptions['limits'] = {
  restPoints: 40,
  graphqlPoints: 6,
  contentRequests: 4,
  windowMs: 1000,
  retryAfterSeconds: 1,
};
let github: TestGitHub | undefined;
let app: AppHarness | undefined;
afterEach(async () => {
  await app?.close();
  await github?.close();
  app = github = undefined;
});

async function openFour(
  options: Parameters<typeof startApp>[1],
): Promise<{ pulls: PullRequestState[]; statuses: number[] }> {
  github = await startTestGitHub({ limits: TIGHT });
  const { files } = seedSample(github.state);
  const pulls = [1, 2, 3, 4].map((number) =>
    openPull(github!.state, {
      number,
      author: 'jsmith-ex',
      files: new Map(files).set(
        JSMITH,
        `${files.get(JSMITH)}${grant('project-tools', 'member', { ticket: `T-${number}` })}`,
      ),
    }),
  );
  app = await startApp(github, options);
  const statuses = await Promise.all(
    pulls.map((pull) =>
      app!.deliver('pull_request', pullEventPayload(github!.state, pull, { name: 'pull_request', action: 'opened' })),
    ),
  );
  return { pulls, statuses };
}

describe('rate limits', () => {
  it('a burst of events under secondary limits: the throttling plugin waits retry-after and no event is lost', async () => {
    const { pulls, statuses } = await openFour({
      octokit: { throttle: true, writeSpacingMs: 0, notificationSpacingMs: 0 },
    });
    expect(statuses.every((s) => s === 200 || s === 202)).toBe(true);
    expect(github!.limiter.refused.secondary).toBeGreaterThan(0);
    expect(pulls).toHaveLength(4);
    for (const pull of pulls) expect(github!.state.latestCheckRun(pull.head.sha)?.conclusion).toBe('action_required');
    expect(app!.logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(app!.logs.some((l) => l.msg === 'GitHub secondary rate limit: waiting as asked')).toBe(true);
  });

  it('(control) the same burst without throttling loses verdicts: the limits above do bite', async () => {
    const { pulls } = await openFour({ octokit: { throttle: false } });
    const verdicts = pulls.map((pull) => github!.state.latestCheckRun(pull.head.sha)?.conclusion);
    expect(verdicts.filter((v) => v === 'action_required').length).toBeLessThan(4);
  });

  it('logs the GitHub API calls of each evaluation at debug level, as many as GitHub saw', async () => {
    github = await startTestGitHub();
    const { files } = seedSample(github.state);
    const pull = openPull(github.state, {
      number: 9,
      author: 'jsmith-ex',
      files: new Map(files).set(JSMITH, `${files.get(JSMITH)}${grant('project-tools', 'member')}`),
    });
    app = await startApp(github, { octokit: { throttle: false } });
    const mark = github.state.calls.length;
    await app.deliver('pull_request', pullEventPayload(github.state, pull, { name: 'pull_request', action: 'opened' }));
    const seen = github.state.callsSince(mark).filter((c) => !c.route.includes('access_tokens'));
    const logged = app.logs.filter((l) => l.msg === 'GitHub API calls of this evaluation');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.level).toBe(20); // debug
    expect(logged[0]!['calls']).toBe(seen.length);
    expect(Object.values(logged[0]!['routes'] as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(seen.length);
  });
});
