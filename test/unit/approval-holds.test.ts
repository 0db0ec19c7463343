import { describe, expect, it } from 'vitest';
import type { PersonAccessState } from '../../src/core/audit/access-state.js';
import { computeApprovalHolds, computeWidenings } from '../../src/core/audit/compute-approval-holds.js';
import type { ApprovalFacts, CommitChanges } from '../../src/core/audit/compute-approval-holds.js';

const person = (status: string, ...grants: Array<[string, string, string?]>): PersonAccessState => ({
  status,
  grants: new Map(
    grants.map(([system, role, expires]) => [`${system}/${role}`, { system, role, ...(expires ? { expires } : {}) }]),
  ),
});
const state = (entries: Record<string, PersonAccessState>) => new Map(Object.entries(entries));
const chain = (...shas: string[]) => shas.map((sha, i) => ({ sha, parents: i === 0 ? [] : [shas[i - 1]!] }));
const introduced = (
  sha: string,
  uid: string,
  before?: PersonAccessState,
  after?: PersonAccessState,
): CommitChanges => ({
  sha,
  people: new Map([[uid, { before, after }]]),
});
const approvedGrant = (pr: number, head: string, uid: string, system: string, role: string) => ({
  pr,
  head,
  changes: [{ kind: 'grant-added', person: uid, grant: { system, role } }],
});

describe('computeWidenings', () => {
  it('finds new and re-enabled accounts, new grants and later ends; never revocations', () => {
    const before = state({
      a: person('active', ['crm', 'rep', '2027-01-01'], ['mail', 'user']),
      b: person('disabled', ['crm', 'rep']),
      gone: person('active', ['crm', 'rep']),
    });
    const after = state({
      a: person('active', ['crm', 'rep', '2028-01-01'], ['erp', 'clerk']),
      b: person('active', ['crm', 'rep']),
      c: person('active'),
      d: person('disabled', ['crm', 'admin']),
    });
    expect(computeWidenings(before, after).map((w) => [w.kind, w.uid, w.kind === 'grant' ? w.role : ''])).toEqual([
      ['grant', 'a', 'rep'],
      ['grant', 'a', 'clerk'],
      ['account', 'b', ''],
      ['grant', 'b', 'rep'],
      ['account', 'c', ''],
    ]);
  });
});

describe('computeApprovalHolds', () => {
  const before = state({ a: person('active') });
  const after = state({ a: person('active', ['crm', 'admin']) });
  const change = introduced('c2', 'a', person('active'), person('active', ['crm', 'admin']));
  const run = (facts: ApprovalFacts, line = chain('c1', 'c2', 'c3')) =>
    computeApprovalHolds({
      baseline: before,
      target: after,
      chain: line,
      changes: [change],
      previouslyHeld: [],
      facts,
      targetCommit: line.at(-1)!.sha,
    });

  it('holds a grant no approval covers, naming the commit that introduced it', () => {
    expect(run({ approvals: [], merges: [] }).held).toEqual([
      expect.objectContaining({ uid: 'a', introducedBy: 'c2' }),
    ]);
    // An approval of something else, merged after it, does not cover it.
    const other = {
      pr: 1,
      head: 'c3',
      changes: [{ kind: 'grant-added', person: 'a', grant: { system: 'crm', role: 'rep' } }],
    };
    expect(run({ approvals: [other], merges: [] }).held).toHaveLength(1);
  });

  it('accepts the approved head merged at or after the introducing commit: merge commit, the head itself, or a recorded merge', () => {
    const merge = [
      { sha: 'c1', parents: [] },
      { sha: 'c2', parents: ['c1', 'h'] },
    ];
    expect(run({ approvals: [approvedGrant(7, 'h', 'a', 'crm', 'admin')], merges: [] }, merge).held).toEqual([]);
    expect(run({ approvals: [approvedGrant(7, 'c2', 'a', 'crm', 'admin')], merges: [] }).held).toEqual([]);
    const squash = {
      approvals: [approvedGrant(7, 'h', 'a', 'crm', 'admin')],
      merges: [{ pr: 7, head: 'h', commit: 'c3' }],
    };
    expect(run(squash).approved).toEqual([expect.objectContaining({ pr: 7, mergedAs: 'c3', introducedBy: 'c2' })]);
    // The recorded merge of another pull request with that head does not count.
    expect(run({ ...squash, merges: [{ pr: 8, head: 'h', commit: 'c3' }] }).held).toHaveLength(1);
  });

  it('does not count an approval merged before the grant came back (an old head merged again)', () => {
    const line = [
      { sha: 'c1', parents: ['h'] }, // the approved head merged long ago...
      { sha: 'c2', parents: ['c1'] }, // ...the grant re-added directly...
      { sha: 'c3', parents: ['c2', 'h'] }, // ...and the old head merged once more
    ];
    expect(run({ approvals: [approvedGrant(7, 'h', 'a', 'crm', 'admin')], merges: [] }, line).held).toHaveLength(1);
  });

  it('needs the approved form: an approval of a shorter grant does not cover one without end', () => {
    const approval = {
      pr: 7,
      head: 'c2',
      changes: [{ kind: 'grant-added', person: 'a', grant: { system: 'crm', role: 'admin', expires: '2026-12-31' } }],
    };
    expect(run({ approvals: [approval], merges: [] }).held).toHaveLength(1);
  });
});
