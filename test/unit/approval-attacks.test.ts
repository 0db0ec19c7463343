import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
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
import { REPO_ROOT, sampleFiles } from '../helpers/sample-tree.js';

// Attacks on the approval gate: a requester who wants access they should not get, or a reviewer
// who wants to approve more than they may. Each scenario asserts that the gate holds.
const JSMITH = 'access/people/jsmith.yaml';
const SAMPLE = sampleFiles();
const HIGH_ATTESTATIONS = SAMPLE[JSMITH]!.replace(
  '  training: "2026-11-02"\n',
  '  training: "2026-11-02"\n  deviceEncryption: true\n  vpn: true\n  backgroundCheck: "2026-01-10"\n',
);
const base = { [JSMITH]: HIGH_ATTESTATIONS };
const withGrant = (text: string, file = HIGH_ATTESTATIONS): Record<string, string> => ({ [JSMITH]: `${file}${text}` });
const everyone = [
  'mjohnson-ex',
  'dwilliams-ex',
  'alee-sec',
  'kpatel-ciso',
  'sroberts-iam',
  'tnguyen-ops',
  'cgarcia-it',
  'hmueller-eng',
].map((l) => review(l));

describe('attacks on the approval gate: identity and case', () => {
  it('the author and the subject are recognised whatever the letter case of their login', () => {
    const teams = { ...SAMPLE_TEAMS, 'example/it-security': ['JSmith-EX', 'alee-sec'] };
    const result = evaluateScenario({
      base,
      head: withGrant(grant('production', 'deployer')),
      author: 'JSMITH-ex',
      teams,
      reviews: [review('mjohnson-ex'), review('dwilliams-ex'), review('jSmItH-eX')],
    });
    const security = result.changes[0]!.levels.find((l) => l.level === 'it-security')!;
    expect(security).toMatchObject({ satisfiedBy: null, candidates: ['alee-sec'] });
    expect(result.approved).toBe(false);
  });

  it('a reviewer differing only in case from a listed approver is that approver (GitHub logins are case-insensitive); a later verdict in another case still cancels', () => {
    const head = appended(JSMITH, grant('project-tools', 'member'));
    expect(evaluateScenario({ head, reviews: [review('MJohnson-EX')] }).approved).toBe(true);
    const cancelled = evaluateScenario({
      head,
      reviews: [
        review('mjohnson-ex', 'APPROVED', { minutes: 1 }),
        review('MJOHNSON-EX', 'CHANGES_REQUESTED', { minutes: 2 }),
      ],
    });
    expect(cancelled.status).toBe('missing');
  });

  it('a subject who changes their own `github:` in the pull request cannot approve under either login', () => {
    const renamed = HIGH_ATTESTATIONS.replace('github: jsmith-ex', 'github: jane-new');
    const teams = { ...SAMPLE_TEAMS, 'example/it-security': ['jane-new', 'jsmith-ex', 'alee-sec'] };
    const result = evaluateScenario({
      base,
      head: withGrant(grant('production', 'deployer'), renamed),
      author: 'sroberts-iam',
      teams,
      reviews: [review('mjohnson-ex'), review('dwilliams-ex'), review('jane-new'), review('jsmith-ex')],
    });
    const grantAdded = result.changes.find((c) => c.kind === 'grant-added')!;
    expect(grantAdded.levels.find((l) => l.level === 'it-security')!.candidates).toEqual(['alee-sec']);
    expect(result.changes.find((c) => c.kind === 'person-identity-changed')!.tier).toBe('elevated');
    expect(result.approved).toBe(false);
  });

  it('a subject who names a friend as manager, or moves department, is still judged by the base manager and department head', () => {
    const moved = HIGH_ATTESTATIONS.replace('manager: mjohnson', 'manager: tnguyen').replace(
      'department: sales',
      'department: it',
    );
    const result = evaluateScenario({
      base,
      head: withGrant(grant('production', 'deployer'), moved),
      reviews: [review('tnguyen-ops'), review('cgarcia-it'), review('alee-sec')],
    });
    const grantAdded = result.changes.find((c) => c.kind === 'grant-added')!;
    expect(summary(grantAdded).levels).toEqual({ manager: null, 'department-head': null, 'it-security': 'alee-sec' });
    expect(grantAdded.levels.map((l) => l.candidates)).toEqual([
      ['mjohnson-ex'],
      ['dwilliams-ex'],
      ['alee-sec', 'ivan-sec'],
    ]);
    expect(result.approved).toBe(false);
  });

  it('a new person whose manager is the author cannot be approved by the author', () => {
    const newcomer = `kind: Person\nuid: nfriend\nname: New Friend\nemail: new.friend@example.org\ntype: employee\ndepartment: sales\nmanager: mjohnson\nstatus: active\nattestations: { mfa: true, deviceCompliance: true }\ngrants:\n${grant('project-tools', 'member')}`;
    const result = evaluateScenario({
      head: { 'access/people/nfriend.yaml': newcomer },
      author: 'mjohnson-ex',
      reviews: [review('mjohnson-ex')],
    });
    expect(result.changes.map((c) => c.levels[0]!.candidates)).toEqual([[], []]);
    expect(result.approved).toBe(false);
  });

  it('a new person file cannot claim a login that another person already has (impersonation)', () => {
    const impostor = `kind: Person\nuid: nfriend\nname: New Friend\nemail: new.friend@example.org\ntype: employee\ndepartment: sales\nmanager: mjohnson\ngithub: ALEE-sec\nstatus: active\nattestations: { mfa: true, deviceCompliance: true }\ngrants:\n${grant('project-tools', 'member')}`;
    const result = evaluateScenario({
      head: { 'access/people/nfriend.yaml': impostor },
      author: 'sroberts-iam',
      reviews: everyone,
    });
    expect(result.diagnostics.filter((d) => d.code === 'DUPLICATE_GITHUB').map((d) => d.file)).toEqual([
      'access/people/nfriend.yaml',
    ]);
    expect(result.status).toBe('blocked');
  });

  it('a person deleted and added again under a new uid (same employeeId) is judged by their base manager, not the one the pull request names', () => {
    const again = HIGH_ATTESTATIONS.replace('uid: jsmith', 'uid: jsmith2')
      .replace('email: jane.smith@example.org', 'email: jane.smith2@example.org')
      .replace('manager: mjohnson', 'manager: tnguyen');
    const result = evaluateScenario({
      base,
      head: { [JSMITH]: null, 'access/people/jsmith2.yaml': `${again}${grant('project-tools', 'member')}` },
      author: 'sroberts-iam',
      reviews: [review('tnguyen-ops'), review('alee-sec')],
    });
    // One human renamed: the same edit in place (identity fields and one new grant), not a new hire.
    const added = result.changes.filter((c) => c.subject === 'jsmith2');
    expect(added.map((c) => [c.kind, c.predecessor])).toEqual([
      ['person-identity-changed', 'jsmith'],
      ['grant-added', 'jsmith'],
    ]);
    for (const change of added)
      expect(change.levels.find((l) => l.level === 'manager')!.candidates).toEqual(['mjohnson-ex']);
    expect(result.approved).toBe(false);
  });

  it('an external person deleted and added again as an employee with the same login is still external', () => {
    const file = 'access/people/jdoe.acme.yaml';
    const inBase = { [file]: SAMPLE[file]!.replace('status: active', 'github: jdoe-acme\nstatus: active') };
    const employee = `kind: Person\nuid: jdoe\nname: John Doe\nemail: john.doe@example.org\ntype: employee\ndepartment: sales\nmanager: mjohnson\ngithub: JDoe-Acme\nstatus: active\nattestations: { mfa: true, deviceCompliance: true }\ngrants:\n${grant('crm', 'sales-rep')}`;
    const result = evaluateScenario({
      base: inBase,
      head: { [file]: null, 'access/people/jdoe.yaml': employee },
      author: 'mjohnson-ex',
      reviews: everyone,
    });
    const change = result.changes.find((c) => c.kind === 'grant-added')!;
    expect(change).toMatchObject({ subject: 'jdoe', predecessor: 'jdoe.acme' });
    expect(change.blocked).toContain('PRIVILEGE_ESCALATION');
    expect(result.status).toBe('blocked');
  });

  it('another human taking over an account (a new employeeId) is refused, and judged as granting everything it holds', () => {
    const inBase = { [JSMITH]: `${HIGH_ATTESTATIONS}${grant('crm', 'admin')}` };
    const takeover = inBase[JSMITH]!.replace('name: Jane Smith', 'name: Eve Mallory').replace(
      'employeeId: EMP-45678',
      'employeeId: EMP-66666',
    );
    const result = evaluateScenario({
      base: inBase,
      head: { [JSMITH]: takeover },
      author: 'sroberts-iam',
      reviews: [review('mjohnson-ex')],
    });
    expect(summary(result.changes[0]!)).toMatchObject({
      kind: 'person-identity-changed',
      tier: 'privileged',
      blocked: ['UID_REUSED'],
      levels: { manager: 'mjohnson-ex', 'department-head': null, 'it-security': null, ciso: null },
    });
    expect(result.status).toBe('blocked');
    // Correcting a name alone stays at the standard tier.
    const renamed = evaluateScenario({
      base: inBase,
      head: { [JSMITH]: inBase[JSMITH]!.replace('name: Jane Smith', 'name: Jane Smith-Jones') },
      author: 'sroberts-iam',
      reviews: [review('mjohnson-ex')],
    });
    expect(summary(renamed.changes[0]!)).toMatchObject({ tier: 'standard', levels: { manager: 'mjohnson-ex' } });
  });

  it('a login of a person disabled in base does not approve, even while still in an approving team', () => {
    const formerStaff = {
      'access/people/ekim.yaml': SAMPLE['access/people/ekim.yaml']!.replace(
        'status: disabled',
        'github: ekim-old\nstatus: disabled',
      ),
    };
    const teams = { ...SAMPLE_TEAMS, 'example/it-security': ['ekim-old'] };
    const result = evaluateScenario({
      base: { ...base, ...formerStaff },
      head: withGrant(grant('production', 'deployer')),
      teams,
      reviews: [review('mjohnson-ex'), review('dwilliams-ex'), review('ekim-old')],
    });
    expect(result.changes[0]!.levels.find((l) => l.level === 'it-security')).toMatchObject({
      satisfiedBy: null,
      candidates: [],
    });
    expect(result.approved).toBe(false);
  });
});

describe('attacks on the approval gate: files and YAML', () => {
  it('a Person placed under systems/ is an error, not an unseen file', () => {
    const result = evaluateScenario({
      head: { 'access/systems/jsmith.yaml': `${SAMPLE[JSMITH]}${grant('crm', 'admin')}`, [JSMITH]: null },
      reviews: everyone,
    });
    expect(result.diagnostics.map((d) => d.code)).toContain('MISPLACED_FILE');
    expect(result.status).toBe('blocked');
  });

  it('moving a person file to `.yml` while adding a grant is the same person with a new grant', () => {
    const result = evaluateScenario({
      base,
      head: { [JSMITH]: null, 'access/people/jsmith.yml': `${HIGH_ATTESTATIONS}${grant('crm', 'admin')}` },
      reviews: [review('mjohnson-ex')],
    });
    expect(result.changes.map(summary)).toEqual([
      {
        kind: 'grant-added',
        subject: 'jsmith',
        tier: 'privileged',
        blocked: [],
        levels: { manager: 'mjohnson-ex', 'department-head': null, 'it-security': null, ciso: null },
      },
    ]);
  });

  it('duplicate keys and `<<` merge keys are errors, so reader and evaluator cannot disagree', () => {
    const duplicate = appended(
      JSMITH,
      '  - system: project-tools\n    role: member\n    role: admin\n    justification: Sprint boards.\n',
    );
    expect(evaluateScenario({ head: duplicate, reviews: everyone }).diagnostics.map((d) => d.code)).toContain(
      'DUPLICATE_KEY',
    );
    const merged = appended(
      JSMITH,
      '  - &g { system: project-tools, role: member, justification: Sprint boards. }\n  - <<: *g\n    role: admin\n',
    );
    const result = evaluateScenario({ head: merged, reviews: everyone });
    expect(result.status).toBe('blocked');
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('a %YAML 1.1 directive cannot switch on merge keys and yes/no booleans', () => {
    const text = `%YAML 1.1\n---\n${SAMPLE[JSMITH]!}  - &g { system: project-tools, role: member, justification: Sprint boards. }\n  - <<: *g\n    role: admin\n    emergency: yes\n    expires: "2026-11-24"\n`;
    const result = evaluateScenario({ head: { [JSMITH]: text }, reviews: everyone });
    expect(result.diagnostics.map((d) => d.code)).toContain('YAML_SYNTAX');
    expect(result.status).toBe('blocked');
  });

  it('an alias that copies a privileged grant into another person is seen as that grant', () => {
    const aliased =
      SAMPLE[JSMITH]!.replace(
        '  - system: crm\n    role: sales-rep\n',
        '  - &g\n    system: crm\n    role: sales-rep\n',
      ) + '  - *g\n';
    const result = evaluateScenario({ head: { [JSMITH]: aliased } });
    expect(result.diagnostics.map((d) => d.code)).toContain('DUPLICATE_GRANT');
    expect(result.status).toBe('blocked');
  });

  it('deleting the policy, or breaking it, blocks the pull request instead of hiding its changes', () => {
    const grantText = appended(JSMITH, grant('crm', 'admin'));
    const deleted = evaluateScenario({ head: { ...grantText, 'access/policy.yaml': null }, reviews: everyone });
    expect(deleted.status).toBe('blocked');
    expect(deleted.changes.find((c) => c.kind === 'grant-added')!.tier).toBe('privileged');
    const broken = evaluateScenario({
      head: { ...grantText, ...edited('access/policy.yaml', 'kind: Policy', 'kind: Policy\nbogus: true') },
      reviews: everyone,
    });
    expect(broken.status).toBe('blocked');
  });

  it('a person file broken in head is not taken for a revocation of everything it granted', () => {
    const result = evaluateScenario({
      head: edited(JSMITH, 'type: employee', 'type: superuser'),
      author: 'sroberts-iam',
      reviews: everyone,
    });
    expect(result.changes.filter((c) => c.kind === 'person-removed' || c.kind === 'grant-removed')).toEqual([]);
    expect(result.status).toBe('blocked');
  });
});

describe('attacks on the approval gate: governance in the same pull request', () => {
  it('a role made external in head does not let an external person have it', () => {
    const system = edited('access/systems/crm.yaml', '  sales-rep:\n', '  sales-rep:\n    external: true\n');
    const result = evaluateScenario({
      head: {
        ...system,
        ...appended('access/people/jdoe.acme.yaml', grant('crm', 'sales-rep', { expires: '2027-06-30' })),
      },
      author: 'mjohnson-ex',
      reviews: everyone,
    });
    expect(result.changes.find((c) => c.kind === 'grant-added')!.blocked).toContain('PRIVILEGE_ESCALATION');
    expect(result.status).toBe('blocked');
  });

  it('a role whose risk is lowered in head is still granted at its base tier; the system edit needs the highest tier and its code owners', () => {
    const system = edited(
      'access/systems/production.yaml',
      '    risk: critical\n    privileged: true\n',
      '    risk: low\n',
    );
    const result = evaluateScenario({
      base,
      head: { ...system, ...withGrant(grant('production', 'admin')) },
      reviews: [review('mjohnson-ex'), review('dwilliams-ex'), review('alee-sec'), review('kpatel-ciso')],
    });
    expect(result.changes.find((c) => c.kind === 'grant-added')!.tier).toBe('privileged');
    const role = result.changes.find((c) => c.kind === 'role-changed')!;
    expect(role.tier).toBe('privileged');
    expect(role.levels.find((l) => l.level === 'code-owners')!.satisfiedBy).toBeNull();
    expect(result.approved).toBe(false);
  });

  it('a schema edit alongside a grant needs the highest tier and the schema owners', () => {
    const schema = readFileSync(`${REPO_ROOT}schemas/person.schema.json`, 'utf8').replace(
      '"additionalProperties": false',
      '"additionalProperties": true',
    );
    const result = evaluateScenario({
      head: appended(JSMITH, grant('project-tools', 'member')),
      headRepo: { 'schemas/person.schema.json': schema },
      reviews: [review('mjohnson-ex')],
    });
    const change = result.changes.find((c) => c.kind === 'schema-changed')!;
    expect(change.tier).toBe('privileged');
    expect(change.levels.find((l) => l.level === 'code-owners')!.candidates).toEqual(['kpatel-ciso', 'lena-lead']);
    expect(result.approved).toBe(false);
  });

  it('an external person made an employee in the same pull request is still external for the grant', () => {
    const file = 'access/people/jdoe.acme.yaml';
    const head = edited(file, 'type: external', 'type: employee', appended(file, grant('crm', 'sales-rep')));
    const result = evaluateScenario({ head, author: 'mjohnson-ex', reviews: everyone });
    expect(result.changes.find((c) => c.kind === 'grant-added')!.blocked).toContain('PRIVILEGE_ESCALATION');
  });
});

describe('attacks on the approval gate: reviews', () => {
  const head = appended(JSMITH, grant('project-tools', 'member'));

  it('an approval before a force-push does not count; approve, dismissed, approve again on head does', () => {
    expect(evaluateScenario({ head, reviews: [review('mjohnson-ex', 'APPROVED', { commit: OLD_SHA })] }).status).toBe(
      'missing',
    );
    const again = [
      review('mjohnson-ex', 'APPROVED', { commit: OLD_SHA, minutes: 1 }),
      review('mjohnson-ex', 'DISMISSED', { commit: OLD_SHA, minutes: 2 }),
      review('mjohnson-ex', 'APPROVED', { minutes: 3 }),
    ];
    expect(evaluateScenario({ head, reviews: again }).approved).toBe(true);
    // Reviews listed out of order are ordered by time: the dismissal after the approval wins.
    const outOfOrder = [
      review('mjohnson-ex', 'DISMISSED', { minutes: 5 }),
      review('mjohnson-ex', 'APPROVED', { minutes: 3 }),
    ];
    expect(evaluateScenario({ head, reviews: outOfOrder }).status).toBe('missing');
  });

  it('a bot or app approving is not an approver', () => {
    const teams = { ...SAMPLE_TEAMS };
    const result = evaluateScenario({ head, teams, reviews: [review('github-actions[bot]'), review('aac-app[bot]')] });
    expect(result.status).toBe('missing');
  });

  it('team membership that could not be read leaves the level unmet (fail closed)', () => {
    const result = evaluateScenario({
      base,
      head: withGrant(grant('production', 'deployer')),
      teams: {},
      reviews: everyone,
    });
    expect(result.changes[0]!.levels.find((l) => l.level === 'it-security')).toMatchObject({
      satisfiedBy: null,
      candidates: [],
    });
    expect(result.approved).toBe(false);
  });
});

describe('attacks on the approval gate: emergency and revocation', () => {
  const emergency = (expires: string, role = 'admin', system = 'project-tools'): Record<string, string> =>
    appended(JSMITH, grant(system, role, { emergency: true, expires, justification: 'Incident INC-7.' }));

  it('an emergency grant just past the maximum is blocked; exactly at it is allowed', () => {
    expect(
      evaluateScenario({ head: emergency('2026-11-25T12:00:01Z'), reviews: [review('alee-sec')] }).changes[0]!.blocked,
    ).toEqual(['EMERGENCY_TOO_LONG']);
    expect(evaluateScenario({ head: emergency('2026-11-25T12:00:00Z'), reviews: [review('alee-sec')] }).approved).toBe(
      true,
    );
    // A date means the end of that day: 2026-11-25 ends after 72 hours from noon on the 22nd.
    expect(
      evaluateScenario({ head: emergency('2026-11-25'), reviews: [review('alee-sec')] }).changes[0]!.blocked,
    ).toEqual(['EMERGENCY_TOO_LONG']);
  });

  it('an emergency grant extended by a later pull request is a new emergency grant, within the maximum from now', () => {
    const inBase = appended(
      JSMITH,
      grant('project-tools', 'admin', { emergency: true, expires: '2026-11-23', justification: 'Incident INC-7.' }),
    );
    const extended = edited(JSMITH, 'expires: "2026-11-23"', 'expires: "2026-12-31"', inBase);
    const result = evaluateScenario({ base: inBase, head: extended, reviews: [review('alee-sec')] });
    expect(summary(result.changes[0]!)).toMatchObject({
      kind: 'grant-extended',
      tier: 'emergency',
      blocked: ['EMERGENCY_TOO_LONG'],
    });
    // Dropping the emergency flag makes it an ordinary grant at its full tier.
    const ordinary = edited(JSMITH, '    emergency: true\n', '', inBase);
    const made = evaluateScenario({ base: inBase, head: ordinary, reviews: [review('alee-sec')] });
    expect(summary(made.changes[0]!)).toMatchObject({
      kind: 'grant-extended',
      tier: 'standard',
      levels: { manager: null },
    });
  });

  it('a revocation cannot carry another change: each change needs its own levels', () => {
    const file = 'access/people/pkowalski.yaml';
    const removed = edited(
      file,
      '  - system: production\n    role: read-only\n    justification: Reads logs and dashboards while debugging the migration.\n    expires: "2027-03-31"\n',
      '',
    );
    const head = edited(
      file,
      '    justification: Works on the billing migration project.\n    expires: "2027-03-31"',
      '    justification: Works on the billing migration project.\n    expires: "2030-01-01"',
      removed,
    );
    // IT security may approve the revocation alone; the extension still needs pkowalski's manager.
    const result = evaluateScenario({ head, author: 'sroberts-iam', reviews: [review('alee-sec')] });
    expect(result.changes.map(summary)).toEqual([
      { kind: 'grant-extended', subject: 'pkowalski', tier: 'standard', blocked: [], levels: { manager: null } },
      {
        kind: 'grant-removed',
        subject: 'pkowalski',
        tier: 'revocation',
        blocked: [],
        levels: { revocation: 'alee-sec' },
      },
    ]);
    expect(result.approved).toBe(false);
  });

  it('swapping a role in place is a removal and a new grant, not a change', () => {
    const swapped = edited(JSMITH, 'role: sales-rep', 'role: admin');
    const result = evaluateScenario({ head: swapped, author: 'sroberts-iam', reviews: [review('mjohnson-ex')] });
    expect(result.changes.map((c) => [c.kind, c.tier])).toEqual([
      ['grant-added', 'privileged'],
      ['grant-removed', 'revocation'],
    ]);
    expect(result.approved).toBe(false);
  });

  it('re-enabling a disabled person with privileged grants needs the privileged tier', () => {
    const inBase = edited(JSMITH, 'status: active', 'status: disabled', {
      [JSMITH]: `${HIGH_ATTESTATIONS}${grant('crm', 'admin')}`,
    });
    const result = evaluateScenario({
      base: inBase,
      head: { [JSMITH]: inBase[JSMITH]!.replace('status: disabled', 'status: active') },
      author: 'sroberts-iam',
      reviews: [review('mjohnson-ex')],
    });
    expect(summary(result.changes[0]!)).toMatchObject({ kind: 'person-status-changed', tier: 'privileged' });
    expect(result.approved).toBe(false);
  });
});

describe('judgement calls, kept and documented (README, "aac evaluate")', () => {
  it('an emergency grant of a privileged role needs only the emergency level, within the maximum', () => {
    const head = appended(
      JSMITH,
      grant('crm', 'admin', { emergency: true, expires: '2026-11-24', justification: 'Incident INC-9: CRM outage.' }),
    );
    const result = evaluateScenario({ head, reviews: [review('alee-sec')] });
    expect(summary(result.changes[0]!)).toMatchObject({
      tier: 'emergency',
      blocked: [],
      levels: { 'it-security': 'alee-sec' },
    });
  });

  it('an emergency grant to an external person is still blocked unless the base role is external and not privileged', () => {
    const file = 'access/people/jdoe.acme.yaml';
    const internal = evaluateScenario({
      head: appended(file, grant('crm', 'sales-rep', { emergency: true, expires: '2026-11-24' })),
      author: 'mjohnson-ex',
      reviews: everyone,
    });
    expect(internal.changes[0]!.blocked).toContain('PRIVILEGE_ESCALATION');
    const guest = evaluateScenario({
      head: appended(file, grant('project-tools', 'guest', { emergency: true, expires: '2026-11-24' })),
      author: 'mjohnson-ex',
      reviews: [review('alee-sec')],
    });
    expect(summary(guest.changes[0]!)).toMatchObject({
      tier: 'emergency',
      blocked: [],
      levels: { 'it-security': 'alee-sec' },
    });
  });

  it('a department head asking for their own elevated access cannot be approved at the department-head level', () => {
    const file = 'access/people/dwilliams.yaml';
    const result = evaluateScenario({
      head: appended(file, grant('production', 'deployer')),
      author: 'sroberts-iam',
      reviews: everyone,
    });
    expect(result.changes[0]!.levels.map((l) => [l.level, l.candidates])).toContainEqual(['department-head', []]);
    expect(result.approved).toBe(false);
  });
});
