import { readAuditBranch } from '../../src/config.js';
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/core/policy/compute-comment-view.js';
import { createAuditLogFor } from '../../src/entrypoints/app/create-audit-log-for.js';
import { FakeGitDataApi } from '../helpers/fake-git-data-api.js';
import { examplePullRequestRepo, fakeGitHub } from '../helpers/github-api.js';
import type { FakeRepo } from '../helpers/github-api.js';
import { createTestProbot } from '../helpers/github-api.js';
import { grant } from '../helpers/pull-request.js';
import { NOW, sampleFiles } from '../helpers/sample-tree.js';
import { examplePayload } from '../helpers/webhooks.js';

const OPENED = examplePayload('pull_request', 'opened');
const BASE_SHA: string = OPENED.pull_request.base.sha;
const HEAD_SHA: string = OPENED.pull_request.head.sha;
const JSMITH = 'access/people/jsmith.yaml';
const TEAMS = {
  'example/it-security': ['alee-sec'],
  'example/security-leads': ['kpatel-ciso'],
  'example/access-approvers': ['sroberts-iam'],
};

function repoWith(
  head: Record<string, string | null>,
  reviews: FakeRepo['reviews'] = [],
  comments?: FakeRepo['comments'],
): FakeRepo {
  return examplePullRequestRepo(OPENED, head, { reviews, teams: TEAMS, ...(comments ? { comments } : {}) });
}
const withGrant = (text: string): Record<string, string> => ({ [JSMITH]: `${sampleFiles()[JSMITH]}${text}` });

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
beforeEach(() => nock.cleanAll());
afterEach(() => nock.cleanAll());

describe('the approval app (real webhook payloads, GitHub intercepted at HTTP)', () => {
  it('pull_request.opened: action_required check run, one comment, reviews requested from the missing level', async () => {
    const api = fakeGitHub(repoWith(withGrant(grant('project-tools', 'member'))));
    const { probot, audit } = await createTestProbot();
    await probot.receive({ id: '1', name: 'pull_request', payload: OPENED });

    expect(api.checkRuns).toHaveLength(1);
    expect(api.checkRuns[0]).toMatchObject({
      name: 'access-approvals',
      head_sha: HEAD_SHA,
      status: 'completed',
      conclusion: 'action_required',
    });
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.method).toBe('POST');
    expect(api.comments[0]!.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(api.comments[0]!.body).toContain('@mjohnson-ex');
    expect(api.reviewRequests).toEqual([{ reviewers: ['mjohnson-ex'], team_reviewers: [] }]);
    expect(await audit.read()).toEqual([]);
  });

  it('an optional plan provider fills the plan section of the comment and check run', async () => {
    const api = fakeGitHub(repoWith(withGrant(grant('project-tools', 'member'))));
    const seen: number[] = [];
    const plan = async ({ evaluation }: { evaluation: { trees: { head: { people: Map<string, unknown> } } } }) => {
      seen.push(evaluation.trees.head.people.size);
      return { summary: '1 operation', actions: [{ type: 'add-member', target: 'proj-members', detail: 'jsmith' }] };
    };
    const { probot } = await createTestProbot({ plan });
    await probot.receive({ id: 'plan', name: 'pull_request', payload: OPENED });
    expect(seen).toEqual([Object.keys(sampleFiles()).filter((p) => p.startsWith('access/people/')).length]);
    expect(api.comments[0]!.body).toContain('#### Directory plan after merge');
    expect(api.checkRuns[0]!['output'].summary).toContain('**add-member** proj-members (jsmith)');
  });

  it('pull_request_review.submitted: the approval completes the request; the comment is updated; approvals are audited', async () => {
    const payload = examplePayload('pull_request_review', 'submitted');
    payload.review.user.login = 'mjohnson-ex';
    payload.review.state = 'approved';
    payload.pull_request.head.sha = HEAD_SHA;
    payload.pull_request.base.sha = BASE_SHA;
    const reviews = [
      { user: { login: 'mjohnson-ex' }, state: 'APPROVED', commit_id: HEAD_SHA, submitted_at: '2026-11-22T10:00:00Z' },
    ];
    const existing = [{ id: 42, body: `${COMMENT_MARKER}\nold`, user: { login: 'aac[bot]', type: 'Bot' } }];
    const api = fakeGitHub(repoWith(withGrant(grant('project-tools', 'member')), reviews, existing));
    const { probot, audit } = await createTestProbot();
    await probot.receive({ id: '2', name: 'pull_request_review', payload });

    expect(api.checkRuns[0]).toMatchObject({ conclusion: 'success' });
    expect(api.comments.map((c) => c.method)).toEqual(['PATCH']);
    expect(api.reviewRequests).toEqual([]);
    const records = await audit.read();
    expect(records.map((r) => [r.type, r.actor, r.subject ?? null])).toEqual([
      ['level.approved', 'mjohnson-ex', 'jsmith'],
      ['request.approved', 'mjohnson-ex', null],
    ]);
    expect(records[0]).toMatchObject({
      pr: 2,
      commit: HEAD_SHA,
      details: { level: 'manager', reviewer: 'mjohnson-ex', reviewedAt: '2026-11-22T10:00:00Z', tier: 'standard' },
    });
    // Exactly what was approved, so the reconciler provisions that and nothing else (apply.held).
    expect(records[1]!.type === 'request.approved' ? records[1]!.details.changes : undefined).toEqual([
      expect.objectContaining({
        kind: 'grant-added',
        person: 'jsmith',
        grant: { system: 'project-tools', role: 'member' },
      }),
    ]);
    expect(records[1]!.details).toMatchObject({
      tier: 'standard',
      approvers: [{ level: 'manager', reviewer: 'mjohnson-ex', at: '2026-11-22T10:00:00Z' }],
    });
  });

  it('a blocked escalation fails the check with an annotation and is audited; no reviews are requested', async () => {
    const external = `${sampleFiles()['access/people/jdoe.acme.yaml']}${grant('crm', 'admin', { expires: '2027-06-30' })}`;
    const api = fakeGitHub(repoWith({ 'access/people/jdoe.acme.yaml': external }));
    const { probot, audit } = await createTestProbot();
    await probot.receive({ id: '3', name: 'pull_request', payload: OPENED });

    expect(api.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
    const annotations = api.checkRuns[0]!['output'].annotations as Array<Record<string, unknown>>;
    expect(annotations.map((a) => a['title'])).toEqual(expect.arrayContaining(['PRIVILEGE_ESCALATION', 'BLOCKED']));
    expect(annotations.every((a) => a['path'] === 'access/people/jdoe.acme.yaml')).toBe(true);
    expect(api.reviewRequests).toEqual([]);
    const [record] = await audit.read();
    expect(record).toMatchObject({
      type: 'escalation.blocked',
      actor: 'Codertocat',
      subject: 'jdoe.acme',
      pr: 2,
      commit: HEAD_SHA,
      details: {
        reasons: ['PRIVILEGE_ESCALATION'],
        file: 'access/people/jdoe.acme.yaml',
        grant: { system: 'crm', role: 'admin' },
      },
    });
  });

  it('a pull request into a branch that is not judged writes nothing: its verdict would also be the verdict of the same commit into main', async () => {
    // The attack: the same head commit, opened against a branch that already holds its changes,
    // would be "No access changes" (success) on the commit that the pull request into main needs.
    const payload = structuredClone(OPENED);
    payload.pull_request.base.ref = 'already-granted';
    const api = fakeGitHub({
      ...repoWith(withGrant(grant('crm', 'admin'))),
      pullRequest: { ...payload.pull_request, state: 'open' },
    });
    const { probot } = await createTestProbot();
    await probot.receive({ id: 'other-base', name: 'pull_request', payload });
    expect(api.calls).toEqual([]);
    // A repository that protects more branches names them.
    const { probot: release } = await createTestProbot({ baseBranches: ['already-granted'] });
    await release.receive({ id: 'release-base', name: 'pull_request', payload });
    expect(api.checkRuns).toHaveLength(1);
  });

  it('a pull request retargeted to the judged branch is judged again; other edits are ignored', async () => {
    const retargeted = {
      ...structuredClone(OPENED),
      action: 'edited',
      changes: { base: { ref: { from: 'already-granted' }, sha: { from: BASE_SHA } } },
    };
    const api = fakeGitHub(repoWith(withGrant(grant('project-tools', 'member'))));
    const { probot } = await createTestProbot();
    await probot.receive({ id: 'retarget', name: 'pull_request', payload: retargeted });
    expect(api.checkRuns.map((r) => r['conclusion'])).toEqual(['action_required']);
    const titled = { ...structuredClone(OPENED), action: 'edited', changes: { title: { from: 'Old title' } } };
    await probot.receive({ id: 'title', name: 'pull_request', payload: titled });
    expect(api.checkRuns).toHaveLength(1);
  });

  it('a file deeper than access/<folder>/<file> is read and reported misplaced, as aac validate reports it', async () => {
    const hidden = { 'access/people/archive/2026/jsmith.yaml': `${sampleFiles()[JSMITH]}${grant('crm', 'admin')}` };
    const api = fakeGitHub(repoWith(hidden));
    const { probot } = await createTestProbot();
    await probot.receive({ id: 'deep', name: 'pull_request', payload: OPENED });
    expect(api.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
    const annotations = api.checkRuns[0]!['output'].annotations as Array<Record<string, unknown>>;
    expect(annotations.map((a) => [a['title'], a['path']])).toContainEqual([
      'MISPLACED_FILE',
      'access/people/archive/2026/jsmith.yaml',
    ]);
  });

  it('a file in a hidden folder is no access file here, as for aac validate and the reconciler, but it is a governed file', async () => {
    const api = fakeGitHub(
      repoWith({
        'access/.staging/jsmith.yaml': `${sampleFiles()[JSMITH]}${grant('crm', 'admin')}`,
        'access/people/.jsmith.yaml': 'kind: Person\n',
      }),
    );
    const { probot } = await createTestProbot();
    await probot.receive({ id: 'hidden', name: 'pull_request', payload: OPENED });
    expect(api.checkRuns[0]).toMatchObject({
      conclusion: 'action_required',
      output: { title: expect.stringContaining('(privileged)') },
    });
    const comment = api.comments[0]!.body;
    expect(comment).toContain('access/.staging/jsmith.yaml');
    expect(comment).not.toContain('grant-added');
  });

  it('overlapping events for one pull request are evaluated one after the other, so the last verdict is the latest', async () => {
    // The approval is read by the first evaluation and dismissed before the second reads; the
    // first is slow to write. Run side by side, the stale "success" would be written last.
    const approved = [
      { user: { login: 'mjohnson-ex' }, state: 'APPROVED', commit_id: HEAD_SHA, submitted_at: '2026-11-22T10:00:00Z' },
    ];
    const dismissed = [{ ...approved[0]!, state: 'DISMISSED' }];
    let reads = 0;
    const repo = {
      ...repoWith(withGrant(grant('project-tools', 'member'))),
      reviews: () => (reads++ === 0 ? approved : dismissed),
      checkRunDelay: (n: number) => (n === 0 ? 150 : 0),
    };
    const api = fakeGitHub(repo);
    const { probot } = await createTestProbot();
    const review = { ...examplePayload('pull_request_review', 'dismissed') };
    review.pull_request.head.sha = HEAD_SHA;
    review.pull_request.base.sha = BASE_SHA;
    await Promise.all([
      probot.receive({ id: 'first', name: 'pull_request', payload: OPENED }),
      probot.receive({ id: 'second', name: 'pull_request_review', payload: review }),
    ]);
    expect(api.checkRuns.map((r) => r['conclusion'])).toEqual(['success', 'action_required']);
  });

  it('more than 50 diagnostics go out 50 per request: a create, then updates', async () => {
    const broken: Record<string, string> = {};
    for (let i = 0; i < 60; i++) broken[`access/people/broken${i}.yaml`] = `kind: Person\nuid: broken${i}\n`;
    const api = fakeGitHub(repoWith(broken));
    const { probot } = await createTestProbot();
    await probot.receive({ id: '4', name: 'pull_request', payload: OPENED });

    expect(api.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
    const sizes = [
      api.checkRuns[0]!['output'].annotations.length,
      ...api.checkRunUpdates.map((u) => u['output'].annotations.length),
    ];
    expect(sizes.every((n) => n <= 50)).toBe(true);
    expect(sizes.length).toBe(Math.ceil(sizes.reduce((a, b) => a + b, 0) / 50));
    expect(sizes.length).toBeGreaterThan(1);
  });

  it('pull_request.closed without merging records a rejection and calls no API', async () => {
    const payload = examplePayload('pull_request', 'closed');
    payload.pull_request.merged = false;
    const api = fakeGitHub(repoWith({}));
    const { probot, audit } = await createTestProbot();
    await probot.receive({ id: '5', name: 'pull_request', payload });
    expect(api.calls).toEqual([]);
    const records = await audit.read();
    expect(records.map((r) => ({ type: r.type, pr: r.pr, details: r.details }))).toEqual([
      {
        type: 'request.rejected',
        pr: 2,
        details: { reason: 'closed without merging', reviewer: payload.sender.login.toLowerCase() },
      },
    ]);
  });

  it('pull_request.closed merged records the merge commit GitHub made of the head, and calls no API', async () => {
    const payload = examplePayload('pull_request', 'closed');
    payload.pull_request.merged = true;
    payload.pull_request.merge_commit_sha = 'f'.repeat(40);
    payload.pull_request.merged_at = '2026-11-21T11:00:00Z';
    payload.pull_request.merged_by = { ...payload.sender, login: 'Merger' };
    const api = fakeGitHub(repoWith({}));
    const { probot, audit } = await createTestProbot();
    await probot.receive({ id: '8', name: 'pull_request', payload });
    expect(api.calls).toEqual([]);
    expect((await audit.read()).map((r) => ({ type: r.type, pr: r.pr, commit: r.commit, details: r.details }))).toEqual(
      [
        {
          type: 'request.merged',
          pr: 2,
          commit: 'f'.repeat(40),
          details: {
            head: payload.pull_request.head.sha,
            base: payload.pull_request.base.ref,
            mergedBy: 'merger',
            author: payload.pull_request.user.login.toLowerCase(),
            title: payload.pull_request.title,
          },
        },
      ],
    );
  });

  it('in production wiring the records go to the audit branch through the git data API', async () => {
    const payload = examplePayload('pull_request', 'closed');
    payload.pull_request.merged = false;
    const git = new FakeGitDataApi('Codertocat', 'Hello-World');
    git.install();
    fakeGitHub(repoWith({}));
    const { probot } = await createTestProbot({
      auditLog: createAuditLogFor(readAuditBranch({ AAC_AUDIT_BRANCH: 'access-audit' })),
    });
    await probot.receive({ id: '7', name: 'pull_request', payload });
    const month = `${new Date(NOW).toISOString().slice(0, 7)}.jsonl`;
    const files = [...git.trees.get(git.commits.get(git.refs.get('access-audit')!)!.tree)!.keys()];
    const text = git.fileAt(
      'access-audit',
      files.find((f) => f.endsWith(month))!,
    );
    expect(
      text
        ?.trim()
        .split('\n')
        .map((line) => JSON.parse(line).type),
    ).toEqual(['request.rejected']);
  });

  it('when GitHub fails, the check run says so (failure) and the event errors', async () => {
    // Every GraphQL request fails (a batch GitHub cannot serve is split and asked again first).
    nock('https://api.github.com').post('/graphql').times(50).reply(502, { message: 'Bad gateway' });
    const api = fakeGitHub(repoWith(withGrant(grant('project-tools', 'member'))));
    const { probot } = await createTestProbot();
    await expect(probot.receive({ id: '6', name: 'pull_request', payload: OPENED })).rejects.toThrow();
    expect(api.checkRuns).toHaveLength(1);
    expect(api.checkRuns[0]).toMatchObject({
      conclusion: 'failure',
      output: { title: 'The access approvals could not be evaluated' },
    });
    expect(JSON.stringify(api.checkRuns[0])).not.toContain('ghs_test');
  });

  it('the number of API calls for 300 new person files equals that for one (cold start)', async () => {
    const countFor = async (people: number): Promise<string[]> => {
      nock.cleanAll();
      const files: Record<string, string> = {};
      for (let i = 0; i < people; i++) {
        files[`access/people/new${i}.yaml`] =
          `kind: Person\nuid: new${i}\nname: New Person ${i}\nemail: new${i}@example.org\ntype: employee\ndepartment: sales\nmanager: mjohnson\nstatus: active\nattestations: { mfa: true }\ngrants:\n${grant('email', 'user')}`;
      }
      const api = fakeGitHub(repoWith(files));
      const { probot } = await createTestProbot();
      await probot.receive({ id: `count-${people}`, name: 'pull_request', payload: OPENED });
      expect(api.checkRuns[0]).toMatchObject({ conclusion: 'action_required' });
      return api.calls;
    };
    const one = await countFor(1);
    const many = await countFor(300);
    expect(many.length).toBe(one.length);
    // The unknown files of a cold start: one GraphQL query when they fit in one, else the archive.
    const blobReads = (calls: string[]) => calls.filter((c) => c.includes('/tarball/')).length;
    expect([blobReads(one), blobReads(many)]).toEqual([0, 1]);
    // token, the pull request as it is now, 2 trees (git trees API), the files (GraphQL or the
    // archive), reviews, teams, check run, list comments, create comment, review request
    expect(one.length).toBe(11);
  });
});
