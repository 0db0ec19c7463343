import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../helpers/github-server/app-harness.js';
import type { AppHarness } from '../helpers/github-server/app-harness.js';
import {
  addReview,
  changeExpiries,
  openPull,
  pullEventPayload,
  pushToPull,
  seedOrganisation,
  startTestGitHub,
} from '../helpers/github-server/index.js';
import type { TestGitHub } from '../helpers/github-server/index.js';

// The rate budget against the test GitHub: the requests of an event do not depend on how many
// files the repository has, and when GitHub cannot serve the files the check says why.

let github: TestGitHub | undefined;
let app: AppHarness | undefined;
afterEach(async () => {
  await app?.close();
  await github?.close();
  app = github = undefined;
});

/** The routes GitHub saw for a review event on a pull request changing 5 people, on an organisation of `people`. */
async function reviewEventRoutes(people: number): Promise<string[]> {
  github = await startTestGitHub();
  const { files } = seedOrganisation(github.state, { people, systems: 20 });
  const pull = openPull(github.state, { number: 1, author: 'gh-user00040', files: changeExpiries(files, 5) });
  app = await startApp(github, { octokit: { throttle: false } });
  await app.deliver(
    'pull_request',
    pullEventPayload(github.state, pull, { name: 'pull_request', action: 'opened' }),
    'open',
  );
  await app.evaluated('open');
  const review = addReview(github.state, pull, 'gh-user00003', 'COMMENTED');
  const mark = github.state.calls.length;
  await app.deliver(
    'pull_request_review',
    pullEventPayload(github.state, pull, { name: 'pull_request_review', action: 'submitted', review }),
    'review',
  );
  await app.evaluated('review');
  const routes = github.state
    .callsSince(mark)
    .map((c) => c.route)
    .filter((r) => !r.includes('access_tokens'));
  await app.close();
  await github.close();
  app = github = undefined;
  return routes;
}

describe('rate budget', () => {
  it('a review event makes the same requests on 50 people as on 2,000', async () => {
    const small = await reviewEventRoutes(50);
    const large = await reviewEventRoutes(2000);
    expect(large).toEqual(small);
    expect(small).toHaveLength(7);
  });

  it('when GitHub cannot serve the files, the check fails and says why; nothing is judged from a partial read', async () => {
    github = await startTestGitHub();
    const { files } = seedOrganisation(github.state, { people: 50, systems: 5 });
    const pull = openPull(github.state, { number: 2, author: 'gh-user00040', files: changeExpiries(files, 1) });
    app = await startApp(github, { octokit: { throttle: false } });
    await app.deliver(
      'pull_request',
      pullEventPayload(github.state, pull, { name: 'pull_request', action: 'opened' }),
      'open',
    );
    await app.evaluated('open');
    // A push of sixty small files GitHub cannot give as text (a cold start would read them from
    // the archive): more than the app reads one by one.
    const head = new Map<string, string | Uint8Array>(changeExpiries(files, 1));
    for (let i = 0; i < 60; i++) head.set(`access/people/bin${i}.yaml`, Buffer.from([0x6b, 0x00, i]));
    pushToPull(github.state, pull, head);
    await app.deliver(
      'pull_request',
      pullEventPayload(github.state, pull, { name: 'pull_request', action: 'synchronize' }),
      'bin',
    );
    await app.evaluated('bin');
    const run = github.state.latestCheckRun(pull.head.sha)!;
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toBe('The access approvals could not be evaluated');
    expect(run.output.summary).toMatch(/GitHubError: 60 files of example\/access .* are not UTF-8 text/);
    // The comment still shows the last verdict GitHub could serve the files of; the check is what gates.
    expect(app.logs.some((l) => l['id'] === 'bin' && l.level >= 50)).toBe(true);
  });
});
