import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/core/policy/compute-comment-view.js';
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

// GitHub does not deliver webhooks in order. An event older than one already judged must not
// turn the pull request's one comment (or its check) back to what the older event saw.

const JSMITH = 'access/people/jsmith.yaml';
let github: TestGitHub;
let app: AppHarness;
let pull: PullRequestState;
let files: Map<string, string>;

beforeEach(async () => {
  github = await startTestGitHub();
  files = seedSample(github.state).files;
  pull = openPull(github.state, { number: 3, author: 'jsmith-ex', files: withGrant('T-1') });
  app = await startApp(github, { octokit: { throttle: false } });
});
afterEach(async () => {
  await app.close();
  await github.close();
});

function withGrant(ticket: string, extra = ''): Map<string, string> {
  return new Map(files).set(JSMITH, `${files.get(JSMITH)}${grant('project-tools', 'member', { ticket })}${extra}`);
}
const comment = () => github.state.comments.find((c) => c.issue === pull.number && c.body.includes(COMMENT_MARKER))!;

describe('events out of order', () => {
  it('an approval of the old head, delivered after the push, leaves the new head unapproved everywhere', async () => {
    const review = addReview(github.state, pull, 'mjohnson-ex'); // approves head 1
    const late = pullEventPayload(github.state, pull, { name: 'pull_request_review', action: 'submitted', review });
    const oldHead = pull.head.sha;
    pushToPull(github.state, pull, withGrant('T-2', grant('crm', 'admin'))); // head 2 asks for more
    await app.deliver(
      'pull_request',
      pullEventPayload(github.state, pull, { name: 'pull_request', action: 'synchronize' }),
    );
    const afterPush = comment().body;
    await app.deliver('pull_request_review', late);
    expect(github.state.latestCheckRun(pull.head.sha)?.conclusion).not.toBe('success');
    expect(github.state.latestCheckRun(oldHead)).toBeUndefined(); // the old head is not judged again
    expect(comment().body).toBe(afterPush);
  });

  it("judges the event's head when the API has not caught up with the push yet", async () => {
    const apiHead = pull.head.sha;
    pushToPull(github.state, pull, withGrant('T-2'));
    const event = pullEventPayload(github.state, pull, { name: 'pull_request', action: 'synchronize' });
    pull.head.sha = apiHead; // GitHub's pull request endpoint still names the previous head
    await app.deliver('pull_request', event);
    expect(github.state.latestCheckRun(event.pull_request.head.sha)?.conclusion).toBe('action_required');
    expect(github.state.latestCheckRun(apiHead)).toBeUndefined();
  });

  it('does not judge a pull request closed since the event', async () => {
    const event = pullEventPayload(github.state, pull, { name: 'pull_request', action: 'opened' });
    pull.state = 'closed';
    await app.deliver('pull_request', event);
    expect(github.state.checkRuns).toEqual([]);
    expect(app.logs.some((l) => l.msg === 'pull request no longer open; not judged')).toBe(true);
  });
});
