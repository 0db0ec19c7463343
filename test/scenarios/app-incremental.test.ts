import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/core/policy/compute-comment-view.js';
import { startApp } from '../helpers/github-server/app-harness.js';
import type { AppHarness, LogLine } from '../helpers/github-server/app-harness.js';
import { coldEvaluation } from '../helpers/github-server/cold-evaluation.js';
import {
  addReview,
  changeExpiries,
  openPull,
  pullEventPayload,
  pushToPull,
  seedOrganisation,
  startTestGitHub,
} from '../helpers/github-server/index.js';
import type { PullRequestState, TestGitHub } from '../helpers/github-server/index.js';

// Incremental evaluation against the test GitHub: a cold start reads the archive; a review
// event reads and parses no file; a push reads and parses only what it changed; and the verdict
// is always what a cold `aac evaluate` of the same state says.

const NOW = '2026-11-22T12:00:00Z';
let github: TestGitHub;
let app: AppHarness;
let pull: PullRequestState;
let files: Map<string, string>;
let repo: string;

beforeAll(async () => {
  github = await startTestGitHub();
  files = seedOrganisation(github.state, { people: 1500, systems: 50 }).files;
  pull = openPull(github.state, { number: 11, author: 'gh-user00500', files: changeExpiries(files, 30) });
  app = await startApp(github, { octokit: { throttle: false } });
  repo = mkdtempSync(join(tmpdir(), 'aac-incremental-'));
});
afterAll(async () => {
  await app.close();
  await github.close();
  rmSync(repo, { recursive: true, force: true });
});

/** Delivers an event and returns the app's "files read" line and the requests GitHub saw for it. */
async function deliver(name: string, payload: unknown, id: string) {
  const mark = github.state.calls.length;
  await app.deliver(name, payload, id);
  await app.evaluated(id);
  const read = app.logs.find((l: LogLine) => l['id'] === id && l.msg === 'files read')!;
  return {
    read: read as LogLine & { reads: Record<string, number>; parsed: number },
    calls: github.state.callsSince(mark),
  };
}
const blobReads = (calls: Array<{ route: string }>) =>
  calls.filter((c) => c.route === 'POST /graphql' || c.route.includes('tarball') || c.route.includes('/git/blobs/'));

async function expectSameAsCold(): Promise<void> {
  github.state.store.exportTo(repo, {});
  const cold = await coldEvaluation(github.state, pull, repo, NOW);
  expect(github.state.latestCheckRun(pull.head.sha)?.conclusion).toBe(cold.conclusion);
  const comment = github.state.comments.find((c) => c.issue === pull.number && c.body.includes(COMMENT_MARKER))!;
  expect(comment.body).toBe(cold.markdown);
}

describe('incremental evaluation', () => {
  it('a cold start reads the archive once and parses each file once', async () => {
    const { read, calls } = await deliver(
      'pull_request',
      pullEventPayload(github.state, pull, { name: 'pull_request', action: 'opened' }),
      'opened',
    );
    expect(read.reads).toMatchObject({ trees: 2, archive: 1, rest: 0 });
    const headFiles = [...files.keys()].filter((p) => p.startsWith('access/')).length;
    expect(read.parsed).toBe(headFiles + 30); // every head file, and base's 30 other versions
    expect(calls.filter((c) => c.route.includes('tarball'))).toHaveLength(1);
    await expectSameAsCold();
  });

  it('a review event reads no file and parses nothing', async () => {
    const review = addReview(github.state, pull, 'gh-user00002');
    const { read, calls } = await deliver(
      'pull_request_review',
      pullEventPayload(github.state, pull, { name: 'pull_request_review', action: 'submitted', review }),
      'review',
    );
    expect(read.parsed).toBe(0);
    expect(read.reads).toMatchObject({ trees: 2, blobsFetched: 0, archive: 0, graphql: 0, rest: 0 });
    // The only GraphQL request is the team members.
    expect(blobReads(calls)).toHaveLength(1);
    await expectSameAsCold();
  });

  it('a push reads and parses only the files it changed', async () => {
    pushToPull(github.state, pull, changeExpiries(changeExpiries(files, 30), 5, 7));
    const { read } = await deliver(
      'pull_request',
      pullEventPayload(github.state, pull, { name: 'pull_request', action: 'synchronize' }),
      'push',
    );
    expect(read.reads).toMatchObject({ blobsFetched: 5, archive: 0, graphql: 1, rest: 0 });
    expect(read.parsed).toBe(5);
    await expectSameAsCold();
  });

  it('an app with an empty cache writes the very same verdict and comment', async () => {
    const before = github.state.comments.find((c) => c.issue === pull.number)!.body;
    const runs = github.state.checkRuns.length;
    const cold = await startApp(github, { octokit: { throttle: false } });
    try {
      await cold.deliver(
        'check_run',
        pullEventPayload(github.state, pull, { name: 'check_run', action: 'rerequested' }),
        'cold',
      );
      await cold.evaluated('cold');
    } finally {
      await cold.close();
    }
    expect(github.state.checkRuns.length).toBe(runs + 1);
    const [warm, fresh] = github.state.checkRuns.filter((c) => c.head_sha === pull.head.sha).slice(-2);
    expect({ ...fresh, id: 0, seq: 0 }).toEqual({ ...warm, id: 0, seq: 0 });
    expect(github.state.comments.find((c) => c.issue === pull.number)!.body).toBe(before);
  });
});
