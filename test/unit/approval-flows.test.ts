import { describe, expect, it } from 'vitest';
import { computeAuditEvents } from '../../src/core/policy/compute-audit-events.js';
import { toEvaluationJson } from '../../src/core/policy/to-evaluation-json.js';
import { appended, evaluateScenario, grant, review, summary } from '../helpers/pull-request.js';
import { sampleFiles } from '../helpers/sample-tree.js';

// The flows of seed stories 000 (denials and appeals) and 003 (external access), and what an
// approver sees: approvals that real organisations can complete, that say who and why.
const SAMPLE = sampleFiles();
const JSMITH = 'access/people/jsmith.yaml';
const MJOHNSON = 'access/people/mjohnson.yaml';
const withHigh = (text: string): string =>
  text.replace('  training: "2026-11-02"\n', '  training: "2026-11-02"\n  deviceEncryption: true\n  vpn: true\n');
const newPartner = (role: string): Record<string, string> => ({
  'access/orgs/initech.yaml':
    'kind: Organization\nid: initech\nlegalName: Initech Consulting LLC\nexternalRef: VND-31337\ntype: partner\ncontact: it@initech.example\n',
  'access/people/bporter.initech.yaml': `kind: Person\nuid: bporter.initech\nname: Bill Porter\nemail: bill.porter@initech.example\ntype: external\norg: initech\nsponsor: mjohnson\nstatus: active\nattestations: { mfa: true, deviceCompliance: true, nda: "2026-11-01" }\ngrants:\n${grant('crm', role, { expires: '2027-06-30' })}`,
});

describe('external access (seed story 003): the sponsor and the access approver', () => {
  it('a new partner organization and an external user with an allowed profile are approved by the sponsor and the PAP administrator', () => {
    const result = evaluateScenario({
      head: newPartner('partner'),
      author: 'mjohnson-ex',
      reviews: [review('mjohnson-ex'), review('sroberts-iam')],
    });
    // The sponsor authored it, so the sponsor level falls back; approvals by the sponsor's manager fill it.
    expect(result.changes.map((c) => c.kind)).toEqual(['person-added', 'grant-added', 'org-added']);
    const again = evaluateScenario({
      head: newPartner('partner'),
      author: 'sroberts-iam',
      reviews: [review('mjohnson-ex'), review('sroberts-iam')],
    });
    const granted = again.changes.find((c) => c.kind === 'grant-added')!;
    expect(granted.levels.map((l) => [l.level, l.satisfiedBy])).toEqual([
      ['manager', 'mjohnson-ex'],
      ['access-approver', null],
    ]);
    const ok = evaluateScenario({
      head: newPartner('partner'),
      author: 'bot-requests',
      reviews: [review('mjohnson-ex'), review('sroberts-iam')],
    });
    expect(ok.status).toBe('approved');
    expect(summary(ok.changes.find((c) => c.kind === 'grant-added')!).levels).toEqual({
      manager: 'mjohnson-ex',
      'access-approver': 'sroberts-iam',
    });
  });

  it('the same request for a privileged, non-external profile is blocked and recorded as an escalation attempt', () => {
    const result = evaluateScenario({
      head: newPartner('admin'),
      author: 'bot-requests',
      reviews: [review('mjohnson-ex'), review('sroberts-iam'), review('kpatel-ciso')],
    });
    expect(result.status).toBe('blocked');
    expect(result.changes.find((c) => c.kind === 'grant-added')!.blocked).toContain('PRIVILEGE_ESCALATION');
    const events = computeAuditEvents(result, {
      pr: 42,
      author: 'bot-requests',
      time: '2026-11-22T12:00:00Z',
      trigger: { type: 'head-changed' },
    });
    expect(events.map((e) => [e.type, e.subject])).toEqual([['escalation.blocked', 'bporter.initech']]);
  });

  it('an existing external person’s request goes to their sponsor, not to a manager they do not have', () => {
    const file = 'access/people/jdoe.acme.yaml';
    const result = evaluateScenario({
      head: appended(file, grant('project-tools', 'guest', { expires: '2027-06-30' })),
      author: 'bot-requests',
      reviews: [review('mjohnson-ex'), review('sroberts-iam')],
    });
    expect(result.status).toBe('approved');
  });

  it('the sponsor can be changed (standard tier plus the external level, by the current sponsor)', () => {
    const file = 'access/people/jdoe.acme.yaml';
    const result = evaluateScenario({
      head: { [file]: SAMPLE[file]!.replace('sponsor: mjohnson', 'sponsor: dwilliams') },
      author: 'bot-requests',
      reviews: [review('mjohnson-ex'), review('sroberts-iam')],
    });
    expect(summary(result.changes[0]!)).toMatchObject({
      kind: 'person-identity-changed',
      levels: { manager: 'mjohnson-ex', 'access-approver': 'sroberts-iam' },
    });
    expect(result.status).toBe('approved');
  });
});

describe('offboarding a sponsor or a manager is never blocked', () => {
  it('disabling them goes through, names who is left without, and warns', () => {
    const result = evaluateScenario({
      head: { [MJOHNSON]: SAMPLE[MJOHNSON]!.replace('status: active', 'status: disabled') },
      author: 'dwilliams-ex',
      reviews: [review('cgarcia-it')],
    });
    expect(result.changes[0]).toMatchObject({ kind: 'person-status-changed', tier: 'revocation', blocked: [] });
    expect(result.changes[0]!.details.notes).toEqual([
      'leaves without a manager: jsmith',
      'leaves without a sponsor: jdoe.acme',
    ]);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual(
      expect.arrayContaining([
        ['INACTIVE_REFERENCE', 'warning'],
        ['EXTERNAL_BAD_SPONSOR', 'warning'],
      ]),
    );
    expect(result.status).not.toBe('blocked');
  });

  it('the people left without a manager have their next change approved through the fallback', () => {
    const base = { [MJOHNSON]: SAMPLE[MJOHNSON]!.replace('status: active', 'status: disabled') };
    const result = evaluateScenario({
      base,
      head: appended(JSMITH, grant('project-tools', 'member')),
      author: 'jsmith-ex',
      reviews: [review('dwilliams-ex')],
    });
    const manager = result.changes[0]!.levels[0]!;
    expect(manager.fallback?.reason).toBe('no-candidates');
    expect(manager.satisfiedBy).toBe('dwilliams-ex');
    expect(result.status).toBe('approved');
  });
});

describe('authors and subjects without a person file resolve to the fallback', () => {
  it('a policy change by a security lead with no person file can be completed; the author never approves', () => {
    const policy = SAMPLE['access/policy.yaml']!.replace('maxDeletions: 5', 'maxDeletions: 4');
    const approvers = ['kpatel-ciso', 'cgarcia-it', 'rbrown-ex', 'alee-sec', 'swhite-fin', 'lena-lead'];
    const result = evaluateScenario({
      head: { 'access/policy.yaml': policy },
      author: 'lead-without-file',
      reviews: [...approvers, 'lead-without-file'].map((l) => review(l)),
    });
    const change = result.changes[0]!;
    expect(change.kind).toBe('policy-changed');
    const assigned = change.levels.map((l) => l.satisfiedBy);
    expect(assigned).not.toContain('lead-without-file');
    expect(new Set(assigned).size).toBe(assigned.length);
    expect(result.status).toBe('approved');
  });
});

describe('say why', () => {
  it('a level that cannot be met names who was excluded and why, and what would unblock it', () => {
    const policy = SAMPLE['access/policy.yaml']!.replace(
      '    fallback: [manager-of-manager, { people: [kpatel, cgarcia] }]\n',
      '',
    );
    const ceo = 'access/people/rbrown.yaml';
    const result = evaluateScenario({
      base: { 'access/policy.yaml': policy },
      head: appended(ceo, grant('project-tools', 'member')),
      author: 'rbrown-ex',
    });
    const manager = result.changes[0]!.levels[0]!;
    expect(manager.unmet).toMatch(/no distinct person can approve manager: no active manager/);
    expect(manager.unmet).toMatch(/To unblock: give level manager a `fallback`/);
  });

  it('someone who already fills one level of a change is never listed as "may approve" another', () => {
    const result = evaluateScenario({
      base: { [JSMITH]: withHigh(SAMPLE[JSMITH]!) },
      head: { [JSMITH]: `${withHigh(SAMPLE[JSMITH]!)}${grant('production', 'deployer')}` },
      reviews: [review('mjohnson-ex'), review('dwilliams-ex')],
    });
    const levels = result.changes[0]!.levels;
    expect(levels.find((l) => l.level === 'manager')!.satisfiedBy).toBe('mjohnson-ex');
    expect(levels.find((l) => l.level === 'it-security')!.candidates).not.toContain('mjohnson-ex');
    expect(levels.find((l) => l.level === 'it-security')!.candidates).not.toContain('dwilliams-ex');
  });
});

describe('approvers see what they approve', () => {
  it('each change carries the person, system and role, risk, tier and why, terms and the directory effect', () => {
    const result = evaluateScenario({
      base: { [JSMITH]: withHigh(SAMPLE[JSMITH]!) },
      head: {
        [JSMITH]: `${withHigh(SAMPLE[JSMITH]!)}${grant('production', 'deployer', { ticket: 'CHG-7 "urgent"', expires: '2027-01-31' })}`,
      },
    });
    const row = toEvaluationJson(result).changes[0]!;
    expect(row).toMatchObject({
      kind: 'grant-added',
      person: { uid: 'jsmith', name: 'Jane Smith' },
      system: { id: 'production', name: 'Production' },
      role: { id: 'deployer', group: 'prod-deployers' },
      risk: 'high',
      privileged: false,
      tier: 'elevated',
      expires: '2027-01-31',
      justification: 'Needed for the quarterly project.',
      ticket: 'CHG-7 "urgent"',
      directory: ['jsmith joins group prod-deployers until 2027-01-31'],
    });
    expect(row.why).toContain('high');
  });
});

describe('delegation: a deputy approves in the delegating person’s place', () => {
  const delegating = (to: string, from = '2026-11-01', until = '2026-12-31'): Record<string, string> => ({
    [MJOHNSON]: SAMPLE[MJOHNSON]!.replace(
      'status: active',
      `status: active\ndelegate: { to: ${to}, from: "${from}", until: "${until}" }`,
    ),
  });

  it('the deputy approves for the manager, recorded as on behalf of them', () => {
    const result = evaluateScenario({
      base: delegating('swhite'),
      head: appended(JSMITH, grant('project-tools', 'member')),
      author: 'jsmith-ex',
      reviews: [review('swhite-fin')],
    });
    expect(result.changes[0]!.levels[0]).toMatchObject({ satisfiedBy: 'swhite-fin', onBehalfOf: 'mjohnson' });
    expect(result.status).toBe('approved');
    const events = computeAuditEvents(result, {
      pr: 7,
      author: 'jsmith-ex',
      time: '2026-11-22T12:00:00Z',
      trigger: { type: 'review', reviewer: 'swhite-fin', state: 'APPROVED' },
    });
    expect(events.find((e) => e.type === 'level.approved')!.details).toMatchObject({ onBehalfOf: 'mjohnson' });
  });

  it('outside its dates the delegation does nothing', () => {
    const result = evaluateScenario({
      base: delegating('swhite', '2026-01-01', '2026-01-31'),
      head: appended(JSMITH, grant('project-tools', 'member')),
      reviews: [review('swhite-fin')],
    });
    expect(result.changes[0]!.levels[0]!.satisfiedBy).toBeNull();
  });

  it('a deputy never approves their own request, nor two levels of one change', () => {
    const own = evaluateScenario({
      base: delegating('jsmith'),
      head: appended(JSMITH, grant('project-tools', 'member')),
      author: 'jsmith-ex',
      reviews: [review('jsmith-ex')],
    });
    expect(own.changes[0]!.levels[0]!.satisfiedBy).toBeNull();
    // dwilliams is the department head and mjohnson's deputy: one level only.
    const two = evaluateScenario({
      base: { ...delegating('dwilliams'), [JSMITH]: withHigh(SAMPLE[JSMITH]!) },
      head: { [JSMITH]: `${withHigh(SAMPLE[JSMITH]!)}${grant('production', 'deployer')}` },
      reviews: [review('dwilliams-ex'), review('alee-sec')],
    });
    const assigned = two.changes[0]!.levels.map((l) => l.satisfiedBy).filter((a) => a !== null);
    expect(assigned.filter((a) => a === 'dwilliams-ex')).toHaveLength(1);
    expect(two.approved).toBe(false);
  });

  it('a delegation is an identity change of the delegating person, approved like any other', () => {
    const result = evaluateScenario({ head: delegating('swhite') });
    expect(result.changes[0]).toMatchObject({
      kind: 'person-identity-changed',
      subject: 'mjohnson',
      fields: ['delegate'],
    });
  });
});

describe('rejections with a reason, and the appeal (seed 000, "Access Denials")', () => {
  const head = appended(JSMITH, grant('project-tools', 'member'));
  const rejecting = review('mjohnson-ex', 'CHANGES_REQUESTED', { minutes: 5 });
  rejecting.body = 'Not needed for the Northeast accounts.';

  it('changes requested by an eligible approver rejects the level, with the reviewer and the reason', () => {
    const result = evaluateScenario({ head, reviews: [rejecting] });
    expect(result.status).toBe('rejected');
    expect(result.changes[0]!.levels[0]!.rejection).toMatchObject({
      login: 'mjohnson-ex',
      reason: 'Not needed for the Northeast accounts.',
    });
    const events = computeAuditEvents(result, {
      pr: 9,
      author: 'jsmith-ex',
      time: '2026-11-22T12:00:00Z',
      trigger: { type: 'review', reviewer: 'mjohnson-ex', state: 'CHANGES_REQUESTED' },
    });
    expect(events).toMatchObject([
      {
        type: 'level.rejected',
        actor: 'mjohnson-ex',
        subject: 'jsmith',
        details: { level: 'manager', reviewer: 'mjohnson-ex', reason: 'Not needed for the Northeast accounts.' },
      },
    ]);
  });

  it('changes requested by someone who may not approve the level is no rejection', () => {
    const stranger = review('tnguyen-ops', 'CHANGES_REQUESTED');
    expect(evaluateScenario({ head, reviews: [stranger] }).status).toBe('missing');
  });

  it('after the author appeals, the level needs the next level up; the appeal and its outcome are recorded', () => {
    const appeal = {
      by: 'jsmith-ex',
      text: 'The VP asked me to cover the West accounts too.',
      at: '2026-11-22T10:30:00Z',
    };
    const pending = evaluateScenario({ head, reviews: [rejecting], appeals: [appeal] });
    const level = pending.changes[0]!.levels[0]!;
    expect(level.appeal).toMatchObject({ by: 'jsmith-ex', to: 'department-head' });
    expect(level.candidates).toContain('dwilliams-ex');
    expect(pending.status).toBe('missing');
    const decided = evaluateScenario({
      head,
      reviews: [rejecting, review('dwilliams-ex', 'APPROVED', { minutes: 40 })],
      appeals: [appeal],
    });
    expect(decided.status).toBe('approved');
    expect(decided.changes[0]!.levels[0]).toMatchObject({ satisfiedBy: 'dwilliams-ex' });
    const events = computeAuditEvents(decided, {
      pr: 9,
      author: 'jsmith-ex',
      time: '2026-11-22T11:00:00Z',
      trigger: { type: 'review', reviewer: 'dwilliams-ex', state: 'APPROVED' },
    });
    expect(events.find((e) => e.type === 'level.approved')!.details).toMatchObject({ onAppeal: true });
  });

  it('an appeal by anyone but the author, or older than the rejection, changes nothing', () => {
    const other = { by: 'dwilliams-ex', text: 'Let it through.', at: '2026-11-22T10:30:00Z' };
    expect(evaluateScenario({ head, reviews: [rejecting], appeals: [other] }).status).toBe('rejected');
    const early = { by: 'jsmith-ex', text: 'Please.', at: '2026-11-22T10:01:00Z' };
    expect(evaluateScenario({ head, reviews: [rejecting], appeals: [early] }).status).toBe('rejected');
  });
});
