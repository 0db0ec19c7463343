import { describe, expect, it } from 'vitest';
import {
  appended,
  edited,
  evaluateScenario,
  grant,
  OLD_SHA,
  review,
  SAMPLE_TEAMS,
  summary,
} from '../helpers/pull-request.js';
import { readFileSync } from 'node:fs';
import { REPO_ROOT, sampleFiles } from '../helpers/sample-tree.js';

const JSMITH = 'access/people/jsmith.yaml';
// Jane Smith (sales) reports to mjohnson; the sales head is dwilliams; IT security is a team.
const HIGH_ATTESTATIONS = {
  [JSMITH]: sampleFiles()[JSMITH]!.replace(
    '  training: "2026-11-02"\n',
    '  training: "2026-11-02"\n  deviceEncryption: true\n  vpn: true\n  backgroundCheck: "2026-01-10"\n',
  ),
};
/** jsmith already has the attestations high-risk roles need (in base), so only the grant changes. */
const baseWithAttestations = { base: HIGH_ATTESTATIONS };
const withGrant = (text: string): Record<string, string> => ({ [JSMITH]: `${HIGH_ATTESTATIONS[JSMITH]}${text}` });

describe('approval scenarios (base and head trees over the sample, plus reviews)', () => {
  it('1. a standard grant is approved by the subject manager', () => {
    const head = appended(JSMITH, grant('project-tools', 'member'));
    const pending = evaluateScenario({ head });
    expect(pending.status).toBe('missing');
    expect(pending.changes.map(summary)).toEqual([
      { kind: 'grant-added', subject: 'jsmith', tier: 'standard', blocked: [], levels: { manager: null } },
    ]);
    expect(pending.changes[0]!.levels[0]!.candidates).toEqual(['mjohnson-ex']);
    expect(pending.changes[0]!.file).toBe(JSMITH);

    const approved = evaluateScenario({ head, reviews: [review('mjohnson-ex')] });
    expect(approved.approved).toBe(true);
    expect(approved.changes[0]!.levels[0]!.satisfiedBy).toBe('mjohnson-ex');
  });

  it('2. an elevated grant needs manager, department head and IT security, each level in turn', () => {
    const scenario = { ...baseWithAttestations, head: withGrant(grant('production', 'deployer')) };
    const steps = [
      { reviews: [review('mjohnson-ex')], missing: ['department-head', 'it-security'] },
      { reviews: [review('mjohnson-ex'), review('dwilliams-ex')], missing: ['it-security'] },
      { reviews: [review('mjohnson-ex'), review('dwilliams-ex'), review('alee-sec')], missing: [] },
    ];
    for (const step of steps) {
      const result = evaluateScenario({ ...scenario, reviews: step.reviews });
      expect(result.changes).toHaveLength(1);
      expect(result.changes[0]!.tier).toBe('elevated');
      expect(result.changes[0]!.levels.filter((l) => !l.satisfiedBy).map((l) => l.level)).toEqual(step.missing);
      expect(result.approved).toBe(step.missing.length === 0);
    }
  });

  it('3. a privileged grant needs every level up to the CISO', () => {
    const scenario = { ...baseWithAttestations, head: withGrant(grant('crm', 'admin')) };
    const three = evaluateScenario({
      ...scenario,
      reviews: [review('mjohnson-ex'), review('dwilliams-ex'), review('alee-sec')],
    });
    expect(summary(three.changes[0]!)).toEqual({
      kind: 'grant-added',
      subject: 'jsmith',
      tier: 'privileged',
      blocked: [],
      levels: { manager: 'mjohnson-ex', 'department-head': 'dwilliams-ex', 'it-security': 'alee-sec', ciso: null },
    });
    expect(three.changes[0]!.levels[3]!.candidates).toEqual(['kpatel-ciso']);
    const four = evaluateScenario({
      ...scenario,
      reviews: [review('mjohnson-ex'), review('dwilliams-ex'), review('alee-sec'), review('kpatel-ciso')],
    });
    expect(four.approved).toBe(true);
  });

  it('4. the author approving does not count, and is not offered as a candidate', () => {
    const result = evaluateScenario({
      head: appended(JSMITH, grant('project-tools', 'member')),
      author: 'MJohnson-EX',
      reviews: [review('mjohnson-ex')],
    });
    expect(result.approved).toBe(false);
    expect(result.changes[0]!.levels[0]).toMatchObject({ level: 'manager', satisfiedBy: null, candidates: [] });
  });

  it('5. the subject approving their own access does not count, even as a member of an approving team', () => {
    const teams = { ...SAMPLE_TEAMS, 'example/it-security': ['jsmith-ex', 'alee-sec'] };
    const result = evaluateScenario({
      ...baseWithAttestations,
      head: withGrant(grant('production', 'deployer')),
      author: 'sroberts-iam',
      teams,
      reviews: [review('mjohnson-ex'), review('dwilliams-ex'), review('jsmith-ex')],
    });
    const security = result.changes[0]!.levels.find((l) => l.level === 'it-security')!;
    expect(security.satisfiedBy).toBeNull();
    expect(security.candidates).toEqual(['alee-sec']);
    expect(result.approved).toBe(false);
  });

  it('6. an approval of an older commit does not count', () => {
    const result = evaluateScenario({
      head: appended(JSMITH, grant('project-tools', 'member')),
      reviews: [review('mjohnson-ex', 'APPROVED', { commit: OLD_SHA })],
    });
    expect(result.status).toBe('missing');
  });

  it('7. approve, then request changes: the latest review wins', () => {
    const head = appended(JSMITH, grant('project-tools', 'member'));
    const result = evaluateScenario({
      head,
      reviews: [
        review('mjohnson-ex', 'APPROVED', { minutes: 1 }),
        review('mjohnson-ex', 'CHANGES_REQUESTED', { minutes: 2 }),
      ],
    });
    expect(result.status).toBe('missing');
    // A later plain comment is not a verdict: the approval stands.
    const commented = evaluateScenario({
      head,
      reviews: [review('mjohnson-ex', 'APPROVED', { minutes: 1 }), review('mjohnson-ex', 'COMMENTED', { minutes: 2 })],
    });
    expect(commented.approved).toBe(true);
  });

  it('8. a dismissed approval does not count', () => {
    const result = evaluateScenario({
      head: appended(JSMITH, grant('project-tools', 'member')),
      reviews: [review('mjohnson-ex', 'DISMISSED')],
    });
    expect(result.status).toBe('missing');
  });

  it('9. one person cannot satisfy two levels of a change; approvers are matched optimally', () => {
    const teams = { ...SAMPLE_TEAMS, 'example/it-security': ['dwilliams-ex'] };
    const scenario = { ...baseWithAttestations, head: withGrant(grant('production', 'deployer')), teams };
    const alone = evaluateScenario({ ...scenario, reviews: [review('mjohnson-ex'), review('dwilliams-ex')] });
    expect(alone.changes[0]!.levels.filter((l) => l.satisfiedBy === 'dwilliams-ex')).toHaveLength(1);
    expect(alone.approved).toBe(false);

    // A deputy who may approve only the department-head level: a greedy, in-order assignment would
    // spend dwilliams on department-head and leave IT security empty; the matching does not.
    const policy = edited(
      'access/policy.yaml',
      '    approvers: [department-head]',
      '    approvers: [department-head, { users: [sops-two] }]',
    );
    const matched = evaluateScenario({
      ...scenario,
      base: { ...HIGH_ATTESTATIONS, ...policy },
      reviews: [review('mjohnson-ex'), review('dwilliams-ex'), review('sops-two')],
    });
    expect(summary(matched.changes[0]!).levels).toEqual({
      manager: 'mjohnson-ex',
      'department-head': 'sops-two',
      'it-security': 'dwilliams-ex',
    });
    expect(matched.approved).toBe(true);
  });

  it('10. a team member satisfies a team level; a non-member does not', () => {
    const scenario = { ...baseWithAttestations, head: withGrant(grant('production', 'deployer')) };
    const outsider = evaluateScenario({
      ...scenario,
      reviews: [review('mjohnson-ex'), review('dwilliams-ex'), review('random-dev')],
    });
    expect(outsider.approved).toBe(false);
    const member = evaluateScenario({
      ...scenario,
      reviews: [review('mjohnson-ex'), review('dwilliams-ex'), review('IVAN-SEC')],
    });
    expect(member.changes[0]!.levels.find((l) => l.level === 'it-security')!.satisfiedBy).toBe('ivan-sec');
    expect(member.approved).toBe(true);
  });

  it('11. a code owner satisfies the code-owners level of a system change, on top of the highest tier', () => {
    const head = edited(
      'access/systems/crm.yaml',
      'description: Own accounts and opportunities.',
      'description: Own accounts, opportunities and quotes.',
    );
    const result = evaluateScenario({ head, author: 'sops-lead' });
    expect(summary(result.changes[0]!)).toMatchObject({
      kind: 'role-changed',
      subject: 'crm/sales-rep',
      tier: 'privileged',
    });
    const owners = result.changes[0]!.levels.find((l) => l.level === 'code-owners')!;
    expect(result.changes[0]!.levels.map((l) => l.level)).toEqual([
      'manager',
      'department-head',
      'it-security',
      'ciso',
      'code-owners',
    ]);
    // The author is the only sales-ops member, so nobody else is left; with a second member, they approve.
    expect(owners.candidates).toEqual([]);
    const teams = { ...SAMPLE_TEAMS, 'example/sales-ops': ['sops-lead', 'sops-two'] };
    const withOwner = evaluateScenario({ head, author: 'sops-lead', teams, reviews: [review('sops-two')] });
    expect(withOwner.changes[0]!.levels.find((l) => l.level === 'code-owners')!.satisfiedBy).toBe('sops-two');
  });

  it('12. a pull request that weakens the policy is still judged by the base policy', () => {
    const policy = edited('access/policy.yaml', '  high:\n    tier: elevated', '  high:\n    tier: standard');
    const result = evaluateScenario({
      ...baseWithAttestations,
      head: { ...withGrant(grant('production', 'deployer')), ...policy },
      reviews: [review('mjohnson-ex')],
    });
    const byKind = Object.fromEntries(result.changes.map((c) => [c.kind, c]));
    expect(byKind['grant-added']!.tier).toBe('elevated');
    expect(byKind['policy-changed']!.tier).toBe('privileged');
    expect(byKind['policy-changed']!.levels.find((l) => l.level === 'code-owners')!.candidates).toEqual([
      'kpatel-ciso',
      'lena-lead',
    ]);
    expect(result.approved).toBe(false);
  });

  it('13. an edit to CODEOWNERS needs the highest tier and the current owners; the new owners do not count yet', () => {
    const codeowners = readFileSync(`${REPO_ROOT}.github/CODEOWNERS`, 'utf8').replace(
      '/access/systems/crm.yaml            @example/sales-ops',
      '/access/systems/crm.yaml            @jsmith-ex',
    );
    const system = edited(
      'access/systems/crm.yaml',
      'description: Own accounts and opportunities.',
      'description: Anything.',
    );
    const result = evaluateScenario({
      head: system,
      headRepo: { '.github/CODEOWNERS': codeowners },
      author: 'jsmith-ex',
      reviews: [review('jsmith-ex')],
    });
    const co = result.changes.find((c) => c.kind === 'codeowners-changed')!;
    expect(co).toMatchObject({ subject: '.github/CODEOWNERS', file: '.github/CODEOWNERS', tier: 'privileged' });
    expect(co.line).toBeGreaterThan(1);
    expect(co.levels.find((l) => l.level === 'code-owners')!.candidates).toEqual(['kpatel-ciso', 'lena-lead']);
    const role = result.changes.find((c) => c.kind === 'role-changed')!;
    expect(role.levels.find((l) => l.level === 'code-owners')!.candidates).toEqual(['sops-lead']);
  });

  it('14. an external person given an internal or a privileged role is blocked whatever the approvals', () => {
    const all = ['mjohnson-ex', 'dwilliams-ex', 'alee-sec', 'kpatel-ciso', 'sroberts-iam'].map((l) => review(l));
    for (const role of ['sales-rep', 'admin']) {
      const result = evaluateScenario({
        head: appended('access/people/jdoe.acme.yaml', grant('crm', role, { expires: '2027-06-30' })),
        author: 'mjohnson-ex',
        reviews: all,
      });
      const change = result.changes.find((c) => c.kind === 'grant-added')!;
      expect(change.blocked).toContain('PRIVILEGE_ESCALATION');
      expect(change.levels.map((l) => l.level)).toContain('access-approver');
      expect(result.status).toBe('blocked');
    }
    // An external profile is fine with the access approver on top of the tier.
    const partner = evaluateScenario({
      head: appended('access/people/jdoe.acme.yaml', grant('project-tools', 'guest', { expires: '2027-06-30' })),
      author: 'mjohnson-ex',
      reviews: [review('sroberts-iam')],
    });
    expect(summary(partner.changes[0]!)).toMatchObject({
      blocked: [],
      levels: { manager: null, 'access-approver': 'sroberts-iam' },
    });
  });

  it('15. a separation-of-duties conflict is blocked, even if the pull request also drops the rule', () => {
    const grantText = grant('financial', 'payment-checker');
    const head = appended('access/people/lmartin.yaml', grantText);
    const result = evaluateScenario({
      head,
      reviews: [review('swhite-fin'), review('alee-sec'), review('kpatel-ciso')],
    });
    expect(result.changes[0]!.blocked).toEqual(['SOD_CONFLICT']);
    expect(result.status).toBe('blocked');
    const noRule = edited(
      'access/policy.yaml',
      '  - id: payment-maker-checker\n    description: whoever enters a payment may not approve it\n    roles: [financial/payment-maker, financial/payment-checker]\n',
      '',
    );
    const weakened = evaluateScenario({ head: { ...head, ...noRule } });
    expect(weakened.changes.find((c) => c.kind === 'grant-added')!.blocked).toEqual(['SOD_CONFLICT']);
  });

  it('16. an emergency grant needs only the emergency level, and only within the emergency maximum', () => {
    const short = appended(
      JSMITH,
      grant('project-tools', 'admin', {
        emergency: true,
        expires: '2026-11-24',
        justification: 'Incident INC-7: board permissions broken.',
      }),
    );
    const result = evaluateScenario({ head: short, reviews: [review('alee-sec')] });
    expect(summary(result.changes[0]!)).toEqual({
      kind: 'grant-added',
      subject: 'jsmith',
      tier: 'emergency',
      blocked: [],
      levels: { 'it-security': 'alee-sec' },
    });
    expect(result.approved).toBe(true);
    const long = appended(
      JSMITH,
      grant('project-tools', 'admin', { emergency: true, expires: '2026-12-31', justification: 'Incident INC-7.' }),
    );
    const tooLong = evaluateScenario({ head: long, reviews: [review('alee-sec')] });
    expect(tooLong.changes[0]!.blocked).toEqual(['EMERGENCY_TOO_LONG']);
    expect(tooLong.status).toBe('blocked');
  });

  it('17. a revocation needs one level, the manager or IT security, so removing access is never blocked', () => {
    const removed = edited(
      JSMITH,
      '  - system: crm\n    role: sales-rep\n    justification: Manages customer accounts and opportunities in the Northeast territory.\n',
      '',
    );
    const bySecurity = evaluateScenario({ head: removed, author: 'mjohnson-ex', reviews: [review('alee-sec')] });
    expect(summary(bySecurity.changes[0]!)).toEqual({
      kind: 'grant-removed',
      subject: 'jsmith',
      tier: 'revocation',
      blocked: [],
      levels: { revocation: 'alee-sec' },
    });
    expect(bySecurity.approved).toBe(true);

    const disabled = edited(JSMITH, 'status: active', 'status: disabled');
    const byManager = evaluateScenario({ head: disabled, author: 'sroberts-iam', reviews: [review('mjohnson-ex')] });
    expect(byManager.changes.map(summary)).toEqual([
      {
        kind: 'person-status-changed',
        subject: 'jsmith',
        tier: 'revocation',
        blocked: [],
        levels: { revocation: 'mjohnson-ex' },
      },
    ]);
    expect(byManager.approved).toBe(true);
  });

  it('18. a pull request with several changes needs every level of every change', () => {
    const head = {
      ...appended(JSMITH, grant('project-tools', 'member')),
      ...edited(
        'access/people/pkowalski.yaml',
        '  - system: production\n    role: read-only\n    justification: Reads logs and dashboards while debugging the migration.\n    expires: "2027-03-31"\n',
        '',
      ),
    };
    const partial = evaluateScenario({ head, author: 'sroberts-iam', reviews: [review('mjohnson-ex')] });
    expect(partial.changes.map((c) => [c.kind, c.subject])).toEqual([
      ['grant-added', 'jsmith'],
      ['grant-removed', 'pkowalski'],
    ]);
    expect(partial.status).toBe('missing');
    const full = evaluateScenario({
      head,
      author: 'sroberts-iam',
      reviews: [review('mjohnson-ex'), review('hmueller-eng')],
    });
    expect(full.approved).toBe(true);
  });

  it('19. an invalid head fails whatever the approvals', () => {
    const head = appended(JSMITH, grant('crm', 'sales-rap'));
    const result = evaluateScenario({ head, reviews: [review('mjohnson-ex')] });
    expect(result.status).toBe('blocked');
    expect(result.diagnostics.map((d) => d.code)).toContain('UNKNOWN_ROLE');
  });
});
