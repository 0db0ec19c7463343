import { describe, expect, it } from 'vitest';
import { evaluateScenario, grant, review, SAMPLE_TEAMS, summary } from '../helpers/pull-request.js';
import { sampleFiles } from '../helpers/sample-tree.js';

// Attacks through identity: a second file, a rename, a copied employeeId, a reused identifier or
// an approver who is not (or no longer) one of the organisation's people. One human, one key.
const SAMPLE = sampleFiles();
const JSMITH = 'access/people/jsmith.yaml';
const JDOE = 'access/people/jdoe.acme.yaml';
const EKIM = 'access/people/ekim.yaml';
const jane = SAMPLE[JSMITH]!;
const replaced = (text: string, pairs: Array<[string, string]>): string =>
  pairs.reduce((t, [from, to]) => {
    if (!t.includes(from)) throw new Error(`"${from}" not found`);
    return t.replace(from, to);
  }, text);
/** Jane's file moved to a new uid, with `pairs` applied. */
const janeAs = (uid: string, pairs: Array<[string, string]> = []): Record<string, string | null> => ({
  [JSMITH]: null,
  [`access/people/${uid}.yaml`]: replaced(jane, [['uid: jsmith', `uid: ${uid}`], ...pairs]),
});
const KEEP_OLD = (uid = 'jsmith'): [string, string] => ['status: active', `status: active\nformerUids: [${uid}]`];

describe('identity attacks: renames are the same edit in place', () => {
  it('renaming a file (git mv) to name a friendly manager is judged by the base manager, as the same edit in place', () => {
    const result = evaluateScenario({
      head: janeAs('jane', [KEEP_OLD(), ['manager: mjohnson', 'manager: tnguyen']]),
      author: 'sroberts-iam',
      reviews: [review('tnguyen-ops')],
    });
    expect(result.changes.map((c) => [c.kind, c.subject, c.predecessor])).toEqual([
      ['person-identity-changed', 'jane', 'jsmith'],
    ]);
    const identity = result.changes[0]!;
    expect(identity.kind === 'person-identity-changed' && identity.fields).toEqual(
      expect.arrayContaining(['uid', 'manager', 'formerUids']),
    );
    expect(result.changes[0]!.levels.map((l) => l.candidates)).toEqual([['mjohnson-ex']]);
    expect(result.approved).toBe(false);
    const byBaseManager = evaluateScenario({
      head: janeAs('jane', [KEEP_OLD(), ['manager: mjohnson', 'manager: tnguyen']]),
      author: 'sroberts-iam',
      reviews: [review('mjohnson-ex')],
    });
    expect(byBaseManager.approved).toBe(true);
  });

  it('a rename carrying a new grant is that grant for the base person, not a new hire with all grants again', () => {
    const result = evaluateScenario({
      head: janeAs('jane', [KEEP_OLD(), ['grants:\n', `grants:\n${grant('production', 'deployer')}`]]),
      author: 'sroberts-iam',
      reviews: [review('tnguyen-ops')],
    });
    expect(result.changes.map((c) => c.kind)).toEqual(['person-identity-changed', 'grant-added']);
    expect(summary(result.changes[1]!)).toMatchObject({ tier: 'elevated', subject: 'jane' });
    expect(result.changes[1]!.levels.find((l) => l.level === 'manager')!.candidates).toEqual(['mjohnson-ex']);
  });

  it('a rename paired by email alone (no employeeId) is still the base person', () => {
    const noId = { [JSMITH]: jane.replace('employeeId: EMP-45678\n', '').replace('github: jsmith-ex\n', '') };
    const result = evaluateScenario({
      base: noId,
      head: {
        [JSMITH]: null,
        'access/people/jane.yaml': replaced(noId[JSMITH]!, [
          ['uid: jsmith', 'uid: jane'],
          KEEP_OLD(),
          ['department: sales', 'department: it'],
        ]),
      },
      author: 'sroberts-iam',
      reviews: [review('cgarcia-it')],
    });
    expect(result.changes[0]).toMatchObject({ kind: 'person-identity-changed', predecessor: 'jsmith' });
    expect(result.changes[0]!.levels[0]!.candidates).toEqual(['mjohnson-ex']);
    expect(result.approved).toBe(false);
  });

  it('an external renamed into an employee is an escalation: the highest tier plus the external level', () => {
    const employee = replaced(SAMPLE[JDOE]!, [
      ['uid: jdoe.acme', 'uid: jdoe'],
      ['type: external', 'type: employee\ndepartment: sales\nmanager: mjohnson'],
      ['status: active', 'status: active\nformerUids: [jdoe.acme]'],
    ]);
    const result = evaluateScenario({
      head: { [JDOE]: null, 'access/people/jdoe.yaml': employee },
      author: 'mjohnson-ex',
      reviews: [review('dwilliams-ex'), review('alee-sec'), review('kpatel-ciso'), review('sroberts-iam')],
    });
    const change = result.changes.find((c) => c.kind === 'person-identity-changed')!;
    expect(change).toMatchObject({ subject: 'jdoe', predecessor: 'jdoe.acme', tier: 'privileged' });
    expect(change.levels.map((l) => l.level)).toEqual([
      'manager',
      'department-head',
      'it-security',
      'ciso',
      'access-approver',
    ]);
    // The same edit in place is judged the same way.
    const inPlace = evaluateScenario({
      head: {
        [JDOE]: replaced(SAMPLE[JDOE]!, [['type: external', 'type: employee\ndepartment: sales\nmanager: mjohnson']]),
      },
      author: 'mjohnson-ex',
    });
    expect(inPlace.changes[0]).toMatchObject({ kind: 'person-identity-changed', tier: 'privileged' });
    expect(inPlace.changes[0]!.levels.map((l) => l.level)).toContain('access-approver');
  });
});

describe('identity attacks: identifiers are never reused', () => {
  it('a rename that lets the old uid and email leave the files is refused (IDENTIFIER_DROPPED)', () => {
    const result = evaluateScenario({
      head: janeAs('jane', [['email: jane.smith@example.org', 'email: jane@example.org']]),
      author: 'sroberts-iam',
      reviews: [review('mjohnson-ex')],
    });
    expect(result.changes[0]!.blocked).toEqual(['IDENTIFIER_DROPPED']);
    expect(result.status).toBe('blocked');
    const kept = evaluateScenario({
      head: janeAs('jane', [
        ['email: jane.smith@example.org', 'email: jane@example.org'],
        ['status: active', 'status: active\nformerUids: [jsmith]\nformerEmails: [jane.smith@example.org]'],
      ]),
      author: 'sroberts-iam',
      reviews: [review('mjohnson-ex')],
    });
    expect(kept.status).toBe('approved');
  });

  it('deleting a person file instead of setting status: deleted is refused: its uid and email would become free', () => {
    const result = evaluateScenario({
      head: { [EKIM]: null },
      author: 'mjohnson-ex',
      reviews: [review('dwilliams-ex')],
    });
    expect(result.changes).toMatchObject([
      { kind: 'person-removed', tier: 'revocation', blocked: ['IDENTIFIER_DROPPED'] },
    ]);
    const statusDeleted = evaluateScenario({
      head: { [EKIM]: SAMPLE[EKIM]!.replace('status: disabled', 'status: deleted') },
      author: 'mjohnson-ex',
      reviews: [review('mjohnson-ex'), review('dwilliams-ex')],
    });
    expect(statusDeleted.changes[0]).toMatchObject({ kind: 'person-status-changed', tier: 'revocation', blocked: [] });
    // A tombstone in the policy keeps the identifiers too (the policy change needs its own approvals).
    const tombstone = SAMPLE['access/policy.yaml']!.replace(
      'tombstones:\n',
      `tombstones:\n  - uid: ekim\n    email: ${/email: (.*)/.exec(SAMPLE[EKIM]!)![1]}\n`,
    );
    const withTombstone = evaluateScenario({ head: { [EKIM]: null, 'access/policy.yaml': tombstone } });
    expect(withTombstone.changes.find((c) => c.kind === 'person-removed')!.blocked).toEqual([]);
  });

  it('another human taking over a kept file (a different employeeId) is refused: the uid and email would be reused', () => {
    const deleted = { [EKIM]: SAMPLE[EKIM]!.replace('status: disabled', 'status: deleted') };
    const newcomer = deleted[EKIM]!.replace('status: deleted', 'status: active')
      .replace('employeeId: EMP-30455', 'employeeId: EMP-77777')
      .replace(/name: .*/, 'name: Eve Kim');
    const result = evaluateScenario({
      base: deleted,
      head: { [EKIM]: newcomer },
      author: 'mjohnson-ex',
      reviews: [review('dwilliams-ex')],
    });
    expect(result.changes.find((c) => c.kind === 'person-identity-changed')!.blocked).toContain('UID_REUSED');
    expect(result.status).toBe('blocked');
  });

  it("a new file reusing a deleted person's email, or a former uid, is refused", () => {
    const deleted = { [EKIM]: SAMPLE[EKIM]!.replace('status: disabled', 'status: deleted') };
    const email = /email: (.*)/.exec(SAMPLE[EKIM]!)![1]!;
    const newcomer = `kind: Person\nuid: ekim2\nname: Eve Kim\nemail: ${email.toUpperCase()}\ntype: employee\ndepartment: sales\nmanager: mjohnson\nstatus: active\n`;
    const result = evaluateScenario({
      base: deleted,
      head: { 'access/people/ekim2.yaml': newcomer },
      author: 'mjohnson-ex',
    });
    expect(result.diagnostics.map((d) => [d.code, d.file])).toContainEqual([
      'DUPLICATE_EMAIL',
      'access/people/ekim2.yaml',
    ]);
    expect(result.status).toBe('blocked');
    const renamed = { ...janeAs('jane', [KEEP_OLD()]) };
    const squatter = `kind: Person\nuid: jsmith\nname: Jay Smith\nemail: jay.smith@example.org\ntype: employee\ndepartment: sales\nmanager: mjohnson\nstatus: active\n`;
    const reuse = evaluateScenario({
      base: { ...renamed },
      head: { [JSMITH]: squatter },
      author: 'mjohnson-ex',
    });
    expect(reuse.diagnostics.map((d) => d.code)).toContain('UID_REUSED');
    expect(reuse.status).toBe('blocked');
  });
});

describe('identity attacks: a second identity', () => {
  it("copying a production admin's employeeId into your own file is refused (the reconciler would hand you their entry)", () => {
    const result = evaluateScenario({
      head: { [JSMITH]: jane.replace('employeeId: EMP-45678', 'employeeId: EMP-12001') },
      author: 'jsmith-ex',
      reviews: [review('mjohnson-ex'), review('dwilliams-ex'), review('alee-sec')],
    });
    expect(result.diagnostics.filter((d) => d.code === 'DUPLICATE_EMPLOYEE_ID').map((d) => d.file)).toEqual([JSMITH]);
    expect(result.status).toBe('blocked');
  });

  it('a second file of the same human holding the other half of a separation-of-duties pair is blocked on the grant', () => {
    const lm = SAMPLE['access/people/lmartin.yaml']!;
    const second = lm
      .replace('uid: lmartin', 'uid: lmartin2')
      .replace(/employeeId: .*\n/, '')
      .replace(/email: .*/, 'email: l.martin.two@example.org')
      .replace(/grants:\n[\s\S]*$/, `grants:\n${grant('financial', 'payment-checker')}`);
    const result = evaluateScenario({ head: { 'access/people/lmartin2.yaml': second }, author: 'swhite-fin' });
    const added = result.changes.find((c) => c.kind === 'grant-added')!;
    expect(added.blocked).toContain('SOD_CONFLICT');
    expect(result.status).toBe('blocked');
  });
});

describe('identity attacks: approvers are people in the base tree', () => {
  const production = { [JSMITH]: `${jane}${grant('production', 'deployer')}` };
  const reviews = [review('mjohnson-ex'), review('dwilliams-ex')];

  it('a team member with no person file (an outside collaborator, a bot) never approves', () => {
    const teams = { ...SAMPLE_TEAMS, 'example/it-security': ['outside-helper', 'alee-sec'] };
    const result = evaluateScenario({ head: production, teams, reviews: [...reviews, review('outside-helper')] });
    expect(result.changes[0]!.levels.find((l) => l.level === 'it-security')).toMatchObject({
      satisfiedBy: null,
      candidates: ['alee-sec'],
    });
  });

  it('someone whose person file is gone from base never approves, even while GitHub lists them in the team', () => {
    const teams = { ...SAMPLE_TEAMS, 'example/it-security': ['alee-sec'] };
    const result = evaluateScenario({
      base: { 'access/people/alee.yaml': null },
      head: production,
      teams,
      reviews: [...reviews, review('alee-sec')],
    });
    expect(result.changes[0]!.levels.find((l) => l.level === 'it-security')).toMatchObject({
      satisfiedBy: null,
      candidates: [],
    });
  });

  it('a `users:` login or a CODEOWNERS owner without a person file never approves', () => {
    const policy = SAMPLE['access/policy.yaml']!.replace(
      '      - team: example/it-security\n',
      '      - team: example/it-security\n      - users: [stranger-login]\n',
    );
    const result = evaluateScenario({
      base: { 'access/policy.yaml': policy },
      head: production,
      reviews: [...reviews, review('stranger-login')],
    });
    expect(result.changes[0]!.levels.find((l) => l.level === 'it-security')!.candidates).not.toContain(
      'stranger-login',
    );
    expect(result.approved).toBe(false);
    const codeowners = `/access/systems/ @stranger-login\n`;
    const system = evaluateScenario({
      baseRepo: { '.github/CODEOWNERS': codeowners },
      head: { 'access/systems/crm.yaml': SAMPLE['access/systems/crm.yaml']!.replace('name: CRM', 'name: CRM 2') },
      reviews: [review('stranger-login')],
    });
    expect(system.changes[0]!.levels.find((l) => l.level === 'code-owners')!.candidates).toEqual([]);
  });
});
