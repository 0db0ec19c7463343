import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp } from '../helpers/github-server/app-harness.js';
import type { AppHarness } from '../helpers/github-server/app-harness.js';
import {
  addReview,
  openPull,
  pullEventPayload,
  pushToPull,
  seedSample,
  startTestGitHub,
} from '../helpers/github-server/index.js';
import type { PullRequestState, TestGitHub } from '../helpers/github-server/index.js';
import { grant } from '../helpers/pull-request.js';

// The Re-run buttons of the access-approvals check: real check_run / check_suite payloads
// (@octokit/webhooks-examples) delivered signed to the app server, GitHub on 127.0.0.1.

const JSMITH = 'access/people/jsmith.yaml';
let github: TestGitHub;
let app: AppHarness;
let pull: PullRequestState;

beforeEach(async () => {
  github = await startTestGitHub();
  const { files } = seedSample(github.state);
  const head = new Map(files).set(JSMITH, `${files.get(JSMITH)}${grant('project-tools', 'member')}`);
  pull = openPull(github.state, { number: 7, files: head, author: 'jsmith-ex' });
  app = await startApp(github, { octokit: { throttle: false } });
  expect(
    await app.deliver('pull_request', pullEventPayload(github.state, pull, { name: 'pull_request', action: 'opened' })),
  ).toBe(200);
  expect(github.state.latestCheckRun(pull.head.sha)?.conclusion).toBe('action_required');
});
afterEach(async () => {
  await app.close();
  await github.close();
});

const checkRunsOn = (sha: string) => github.state.checkRuns.filter((c) => c.head_sha === sha);

describe('Re-run of the access-approvals check', () => {
  it('check_run.rerequested judges the pull request again as it is now (an approval whose webhook was lost)', async () => {
    addReview(github.state, pull, 'mjohnson-ex'); // the manager approves; the review event never arrives
    const status = await app.deliver(
      'check_run',
      pullEventPayload(github.state, pull, { name: 'check_run', action: 'rerequested' }),
    );
    expect(status).toBe(200);
    expect(checkRunsOn(pull.head.sha)).toHaveLength(2);
    expect(github.state.latestCheckRun(pull.head.sha)?.conclusion).toBe('success');
  });

  it('check_suite.rerequested does the same for the whole suite (a dismissal whose webhook was lost)', async () => {
    const review = addReview(github.state, pull, 'mjohnson-ex');
    await app.deliver('check_run', pullEventPayload(github.state, pull, { name: 'check_run', action: 'rerequested' }));
    expect(github.state.latestCheckRun(pull.head.sha)?.conclusion).toBe('success');
    review.state = 'DISMISSED';
    await app.deliver(
      'check_suite',
      pullEventPayload(github.state, pull, { name: 'check_suite', action: 'rerequested' }),
    );
    expect(github.state.latestCheckRun(pull.head.sha)?.conclusion).toBe('action_required');
  });

  it('finds the pull request through the commit when the payload lists none (pull requests from forks)', async () => {
    addReview(github.state, pull, 'mjohnson-ex');
    const payload = pullEventPayload(github.state, pull, { name: 'check_run', action: 'rerequested' });
    payload.check_run.pull_requests = [];
    await app.deliver('check_run', payload);
    expect(github.state.latestCheckRun(pull.head.sha)?.conclusion).toBe('success');
    expect(github.state.calls.some((c) => c.route === 'GET /repos/{owner}/{repo}/commits/{sha}/pulls')).toBe(true);
  });

  it('ignores a re-run of another check, and of a commit that is no longer the head', async () => {
    const other = pullEventPayload(github.state, pull, { name: 'check_run', action: 'rerequested' });
    other.check_run.name = 'build';
    const old = pullEventPayload(github.state, pull, { name: 'check_run', action: 'rerequested' });
    const oldSha = pull.head.sha;
    pushToPull(github.state, pull, github.state.store.filesOf(github.state.store.treeOf(oldSha)!));
    const before = github.state.checkRuns.length;
    const mark = github.state.calls.length;
    expect(await app.deliver('check_run', other)).toBe(200);
    expect(github.state.callsSince(mark)).toEqual([]);
    expect(await app.deliver('check_run', old)).toBe(200);
    expect(github.state.checkRuns.length).toBe(before);
    expect(app.logs.some((l) => l.msg?.includes('not the head of an open pull request'))).toBe(true);
  });
});
