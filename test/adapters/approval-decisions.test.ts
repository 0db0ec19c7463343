import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SmtpNotifier } from '../../src/adapters/notify/smtp-notifier.js';
import { createTestProbot, examplePullRequestRepo, fakeGitHub } from '../helpers/github-api.js';
import { grant } from '../helpers/pull-request.js';
import { sampleFiles } from '../helpers/sample-tree.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import type { SmtpSink } from '../helpers/smtp-sink.js';
import { examplePayload } from '../helpers/webhooks.js';

// Rejections with a reason, notices by mail and the `/appeal` command, end to end: real webhook
// payloads, GitHub intercepted at the HTTP edge, a real SMTP server on 127.0.0.1.
const OPENED = examplePayload('pull_request', 'opened');
const BASE_SHA: string = OPENED.pull_request.base.sha;
const HEAD_SHA: string = OPENED.pull_request.head.sha;
const AUTHOR: string = OPENED.pull_request.user.login;
const JSMITH = 'access/people/jsmith.yaml';
const JDOE = 'access/people/jdoe.acme.yaml';
const TEAMS = { 'example/it-security': ['alee-sec'], 'example/access-approvers': ['sroberts-iam'] };
const REASON = 'Use the shared board: this access is not needed for the role.';

let sink: SmtpSink;
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
  nock.cleanAll();
});
beforeEach(() => {
  nock.cleanAll();
  sink.messages.length = 0;
});
afterEach(() => nock.cleanAll());

/** The author of the example pull request made a person: the requester, with a mailbox. */
function requester(): Record<string, string> {
  return {
    'access/people/rrequester.yaml': `kind: Person\nuid: rrequester\nname: Rita Requester\nemail: rita.requester@example.org\ntype: employee\ndepartment: sales\nmanager: mjohnson\ngithub: ${AUTHOR}\nstatus: active\n`,
  };
}

function reviewPayload(login: string, state: string, body: string): any {
  const payload = examplePayload('pull_request_review', 'submitted');
  payload.review.user.login = login;
  payload.review.state = state;
  payload.review.body = body;
  payload.pull_request.head.sha = HEAD_SHA;
  payload.pull_request.base.sha = BASE_SHA;
  payload.pull_request.user.login = AUTHOR;
  return payload;
}

const rejectionBy = (login: string) => ({
  user: { login },
  state: 'CHANGES_REQUESTED',
  commit_id: HEAD_SHA,
  submitted_at: '2026-11-22T10:00:00Z',
  body: REASON,
});

/** The example repository with `requester()` in base and head, and `head` applied on top. */
function repo(head: Record<string, string | null>, reviews: object[], comments?: object[]) {
  const fake = examplePullRequestRepo(
    OPENED,
    { ...requester(), ...head },
    { reviews: reviews as never, teams: TEAMS, ...(comments ? { comments: comments as never } : {}) },
  );
  fake.trees[BASE_SHA]!.files = { ...fake.trees[BASE_SHA]!.files, ...requester() };
  return fake;
}

describe('a rejection by an eligible approver', () => {
  it('fails the check naming the reviewer and their words, is recorded with level and time, and mails the requester', async () => {
    const api = fakeGitHub(
      repo({ [JSMITH]: `${sampleFiles()[JSMITH]}${grant('project-tools', 'member')}` }, [rejectionBy('mjohnson-ex')]),
    );
    const notifier = new SmtpNotifier({ url: sink.url, from: 'aac@example.org' });
    const { probot, audit } = await createTestProbot({ notifier });
    await probot.receive({
      id: 'r1',
      name: 'pull_request_review',
      payload: reviewPayload('mjohnson-ex', 'changes_requested', REASON),
    });

    expect(api.checkRuns[0]).toMatchObject({
      conclusion: 'failure',
      output: { title: 'Rejected by mjohnson-ex (manager)' },
    });
    expect(api.checkRuns[0]!['output'].summary).toContain(
      'rejected by @mjohnson-ex: Use the shared board: this access is not needed for the role.',
    );
    const records = await audit.read();
    expect(records.map((r) => [r.type, r.actor, r.details])).toEqual([
      [
        'level.rejected',
        'mjohnson-ex',
        expect.objectContaining({
          level: 'manager',
          reviewer: 'mjohnson-ex',
          reason: REASON,
          reviewedAt: '2026-11-22T10:00:00Z',
        }),
      ],
    ]);
    expect(sink.messages.map((m) => [m.to, m.subject])).toEqual([
      [['rita.requester@example.org'], 'Access request #2 rejected by mjohnson-ex'],
    ]);
    expect(sink.messages[0]!.text).toContain(REASON);
    expect(sink.messages[0]!.text).toContain('/appeal');
    await notifier.close();
  });

  it('for an external person, the sponsor is told too', async () => {
    fakeGitHub(
      repo({ [JDOE]: `${sampleFiles()[JDOE]}${grant('project-tools', 'guest', { expires: '2027-06-30' })}` }, [
        rejectionBy('sroberts-iam'),
      ]),
    );
    const notifier = new SmtpNotifier({ url: sink.url, from: 'aac@example.org' });
    const { probot } = await createTestProbot({ notifier });
    await probot.receive({
      id: 'r2',
      name: 'pull_request_review',
      payload: reviewPayload('sroberts-iam', 'changes_requested', REASON),
    });
    expect(sink.messages.map((m) => m.to[0]).sort()).toEqual([
      'michael.johnson@example.org',
      'rita.requester@example.org',
    ]);
    expect(sink.messages.find((m) => m.to[0] === 'michael.johnson@example.org')!.text).toContain(
      'a person you sponsor',
    );
    await notifier.close();
  });
});

describe('the /appeal command', () => {
  it('by the author, after a rejection: the level goes to the next one up, the appeal is recorded and shown', async () => {
    const comment = examplePayload('issue_comment', 'created');
    comment.issue.number = 2;
    comment.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/2' };
    comment.issue.user.login = AUTHOR;
    comment.comment.user.login = AUTHOR;
    comment.comment.body = '/appeal The VP asked me to cover the West accounts as well.';
    comment.comment.created_at = '2026-11-22T11:00:00Z';
    comment.repository.owner.login = 'Codertocat';
    comment.repository.name = 'Hello-World';
    const listed = [
      {
        id: 9,
        body: comment.comment.body,
        user: { login: AUTHOR, type: 'User' },
        created_at: comment.comment.created_at,
      },
    ];
    const api = fakeGitHub(
      repo(
        { [JSMITH]: `${sampleFiles()[JSMITH]}${grant('project-tools', 'member')}` },
        [rejectionBy('mjohnson-ex')],
        listed,
      ),
    );
    const { probot, audit } = await createTestProbot();
    await probot.receive({ id: 'a1', name: 'issue_comment', payload: comment });

    expect(api.checkRuns[0]).toMatchObject({ conclusion: 'action_required' });
    expect(api.comments.at(-1)!.body).toContain('now judged by **department-head**');
    const records = await audit.read();
    expect(records.map((r) => [r.type, r.actor, r.details])).toEqual([
      [
        'request.appealed',
        AUTHOR.toLowerCase(),
        {
          text: 'The VP asked me to cover the West accounts as well.',
          level: 'manager',
          rejectedBy: 'mjohnson-ex',
          reason: REASON,
          to: 'department-head',
        },
      ],
    ]);
  });

  it('by anyone else is ignored: nothing is read or written', async () => {
    const comment = examplePayload('issue_comment', 'created');
    comment.issue.number = 2;
    comment.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/2' };
    comment.issue.user.login = AUTHOR;
    comment.comment.user.login = 'someone-else';
    comment.comment.body = '/appeal Let it through.';
    const api = fakeGitHub(repo({}, []));
    const { probot, audit } = await createTestProbot();
    await probot.receive({ id: 'a2', name: 'issue_comment', payload: comment });
    expect(api.calls).toEqual([]);
    expect(await audit.read()).toEqual([]);
  });
});
