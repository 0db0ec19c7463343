import fc from 'fast-check';
import { sha256 } from '../helpers/audit-events.js';
import { describe, expect, it } from 'vitest';
import { createHistoryReader } from '../../src/adapters/git/read-git-history.js';
import { computeGrantChanges } from '../../src/core/audit/compute-grant-changes.js';
import { groupRequests } from '../../src/core/audit/group-requests.js';
import { parseGitLog, pullRequestOf, pullRequestSourceOf } from '../../src/core/audit/parse-git-log.js';
import type { SignatureStatus } from '../../src/core/audit/parse-git-log.js';
import { judgeSignature, verifyAuditTrail } from '../../src/core/audit/verify-audit-trail.js';
import { commit, GITHUB } from '../helpers/history-builders.js';

const F = '\x1f';
const R = '\x1e';
const entry = (
  sha: string,
  parents: string,
  status: string,
  subject: string,
  files: string,
  time = '2026-11-02T10:00:00+02:00',
) =>
  `${R}${sha}${F}${parents}${F}${status}${F}KEY${F}signer${F}Jane${F}jane@example.org${F}${time}${F}GitHub${F}noreply@github.com${F}${time}${F}${subject}\0${files}`;

describe('parseGitLog', () => {
  it('reads fields, UTC times and -z name-status (renames carry both paths)', () => {
    const out = [
      entry(
        'c2',
        'c1 b1',
        'G',
        'Merge pull request #12 from jsmith-ex/crm',
        '\nM\0access/people/jsmith.yaml\0R100\0access/people/old.yaml\0access/people/new.yaml\0',
      ),
      entry('c1', '', 'N', 'initial', '\nA\0access/policy.yaml\0', '2026-11-01T08:00:00+00:00'),
      entry('c0', '', 'E', 'no files', ''),
    ].join('');
    const commits = parseGitLog(out);
    expect(commits.map((c) => [c.sha, c.parents, c.signature.status, c.subject])).toEqual([
      ['c2', ['c1', 'b1'], 'G', 'Merge pull request #12 from jsmith-ex/crm'],
      ['c1', [], 'N', 'initial'],
      ['c0', [], 'E', 'no files'],
    ]);
    expect(commits[0]!.author.time).toBe('2026-11-02T08:00:00Z');
    expect(commits[1]!.committer.time).toBe('2026-11-01T08:00:00Z');
    expect(commits[0]!.files).toEqual([
      { status: 'M', path: 'access/people/jsmith.yaml' },
      { status: 'R', from: 'access/people/old.yaml', path: 'access/people/new.yaml' },
    ]);
    expect(commits[2]!.files).toEqual([]);
  });

  it('gives the same commits whatever the pieces the output arrives in, even inside a UTF-8 character', () => {
    const out = Buffer.from(
      [
        entry('c3', 'c2', 'G', 'Zoë Ñandú ✓ 🎉 (#3)', '\nM\0access/people/zoë.yaml\0'),
        entry(
          'c2',
          'c1 b1',
          'N',
          'Merge pull request #2 from zoë/crm',
          '\nA\0access/people/a.yaml\0D\0access/people/b.yaml\0',
        ),
        entry('c1', '', 'U', '日本語の件名', ''),
      ].join(''),
      'utf8',
    );
    const whole = parseGitLog(out.toString('utf8'));
    expect(whole.map((c) => c.subject)).toEqual([
      'Zoë Ñandú ✓ 🎉 (#3)',
      'Merge pull request #2 from zoë/crm',
      '日本語の件名',
    ]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: out.length - 1 }), { maxLength: 12 }), (cuts) => {
        const reader = createHistoryReader();
        let from = 0;
        for (const at of [...cuts].sort((a, b) => a - b)) {
          reader.write(out.subarray(from, at));
          from = at;
        }
        reader.write(out.subarray(from));
        expect(reader.end()).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['Merge pull request #12 from jsmith-ex/crm-access', 12, 'jsmith-ex'],
    ['Give jsmith CRM (#34)', 34, undefined],
    ['Fix typo in #12 discussion', undefined, undefined],
  ])('%s is request %s from %s', (subject, pr, source) => {
    expect(pullRequestOf(subject)).toBe(pr);
    expect(pullRequestSourceOf(subject)).toBe(source);
  });
});

describe('groupRequests', () => {
  it('gives each merge its branch commits, and squash and direct commits their own request', () => {
    // main: m3 (merge #7 of b2,b1) <- s2 (squash #5) <- d1 (direct) <- root; b1 branched from root, b2 follows b1.
    const history = [
      commit('m3', {
        parents: ['s2', 'b2'],
        subject: 'Merge pull request #7 from kpatel/admin',
        committer: { ...GITHUB, time: '2026-11-04T00:00:00Z' },
      }),
      commit('b2', { parents: ['b1'], time: '2026-11-03T12:00:00Z' }),
      commit('s2', {
        parents: ['d1'],
        subject: 'Add crm access (#5)',
        author: { name: 'Jane', email: 'j@x', time: '2026-11-03T00:00:00Z' },
      }),
      commit('b1', {
        parents: ['root'],
        time: '2026-11-02T12:00:00Z',
        author: { name: 'Kay', email: 'k@x', time: '2026-11-02T12:00:00Z' },
      }),
      commit('d1', { parents: ['root'], time: '2026-11-02T00:00:00Z' }),
      commit('root', { time: '2026-11-01T00:00:00Z' }),
    ];
    const changes = groupRequests(history);
    expect(changes.map((c) => [c.id, c.landing.sha, c.branch.map((b) => b.sha), c.position])).toEqual([
      [7, 'm3', ['b1', 'b2'], 0],
      [5, 's2', [], 1],
      [undefined, 'd1', [], 2],
      [undefined, 'root', [], 3],
    ]);
    // Who asked is never read from a merge message (see compute-request-timelines).
    expect(changes[0]).not.toHaveProperty('requester');
  });

  it('claims a side commit once, for the earliest merge that brought it in', () => {
    const history = [
      commit('m2', { parents: ['m1', 'b2'], subject: 'Merge pull request #2 from a/x' }),
      commit('b2', { parents: ['b1'] }),
      commit('m1', { parents: ['root', 'b1'], subject: 'Merge pull request #1 from a/x' }),
      commit('b1', { parents: ['root'] }),
      commit('root'),
    ];
    expect(groupRequests(history).map((c) => [c.id, c.branch.map((b) => b.sha)])).toEqual([
      [2, ['b2']],
      [1, ['b1']],
      [undefined, []],
    ]);
  });
});

describe('judgeSignature', () => {
  it.each<[SignatureStatus, boolean, string]>([
    ['G', false, 'trusted-key'],
    ['G', true, 'github'],
    ['N', false, 'unsigned'],
    ['U', false, 'untrusted-key'],
    ['B', false, 'bad-signature'],
    ['X', false, 'expired'],
    ['Y', false, 'expired'],
    ['R', false, 'revoked'],
    ['E', true, 'cannot-check'],
  ])('%s (GitHub committer: %s) is %s', (status, github, expected) => {
    const c = commit('c', {
      signature: { status, key: 'K', signer: '' },
      ...(github ? { committer: { ...GITHUB, time: '2026-11-01T00:00:00Z' } } : {}),
    });
    const verdict = judgeSignature(c);
    expect('accepted' in verdict ? verdict.accepted : verdict.problem).toBe(expected);
  });

  it('does not take a GitHub committer name on trust: an unsigned "GitHub" commit fails', () => {
    const verdict = verifyAuditTrail({
      hash: sha256,
      commits: [
        commit('c', {
          committer: { ...GITHUB, time: '2026-11-01T00:00:00Z' },
          signature: { status: 'N', key: '', signer: '' },
        }),
      ],
      records: [],
      places: [],
      unreadable: [],
    });
    expect(verdict.ok).toBe(false);
    expect(verdict.signatures.map((s) => s.kind)).toEqual(['unsigned']);
  });
});

describe('computeGrantChanges', () => {
  const person = (status: string, grants: string) => `kind: Person\nuid: jsmith\nstatus: ${status}\ngrants:\n${grants}`;
  const crm = '  - system: crm\n    role: sales-rep\n';
  const erp = '  - { system: erp, role: viewer, expires: "2027-01-31" }\n';

  it.each([
    [
      'a new person',
      undefined,
      person('active', crm),
      [
        { change: 'person-created', status: 'active' },
        { change: 'grant-added', system: 'crm', role: 'sales-rep' },
      ],
    ],
    [
      'a grant added (flow style)',
      person('active', crm),
      person('active', crm + erp),
      [{ change: 'grant-added', system: 'erp', role: 'viewer', expires: '2027-01-31' }],
    ],
    [
      'a grant removed',
      person('active', crm + erp),
      person('active', crm),
      [{ change: 'grant-removed', system: 'erp', role: 'viewer' }],
    ],
    [
      'an expiry changed',
      person('active', erp),
      person('active', erp.replace('2027-01-31', '2027-03-31')),
      [{ change: 'grant-changed', system: 'erp', role: 'viewer', expires: '2027-03-31' }],
    ],
    [
      'a person disabled',
      person('active', crm),
      person('disabled', crm),
      [{ change: 'status-changed', from: 'active', to: 'disabled', grants: [{ system: 'crm', role: 'sales-rep' }] }],
    ],
    [
      'a file removed',
      person('active', crm),
      undefined,
      [{ change: 'person-removed' }, { change: 'grant-removed', system: 'crm', role: 'sales-rep' }],
    ],
    [
      'a broken version',
      'grants: [',
      person('active', crm),
      [
        { change: 'person-created', status: 'active' },
        { change: 'grant-added', system: 'crm', role: 'sales-rep' },
      ],
    ],
    ['nothing', person('active', crm), person('active', crm), []],
  ])('%s', (_name, before, after, expected) => {
    expect(computeGrantChanges(before, after)).toEqual(expected);
  });
});
