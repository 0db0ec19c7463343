import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { AccessRequest } from '../../src/core/request/access-request.js';
import { addGrantsToPersonYaml } from '../../src/core/request/edit-person-yaml.js';
import { evaluateRequest } from '../../src/core/request/evaluate-request.js';
import { requestTier } from '../../src/core/request/format-request-preview.js';
import { SAMPLE_TEAMS, TEAM_PEOPLE } from '../helpers/pull-request.js';
import { NOW, sampleFiles, schemaChecker, validateWith } from '../helpers/sample-tree.js';

const JSMITH = 'access/people/jsmith.yaml';
const request = (fields: Partial<AccessRequest> = {}): AccessRequest => ({
  uid: 'jsmith',
  grants: [{ system: 'project-tools', role: 'member' }],
  justification: 'Joins the Q1 launch project.',
  emergency: false,
  ...fields,
});
const evaluate = (fields: Partial<AccessRequest> = {}, files: Record<string, string> = sampleFiles()) =>
  evaluateRequest({
    root: 'access',
    files: Object.entries({ ...files, ...TEAM_PEOPLE }).map(([path, content]) => ({ path, content })),
    request: request(fields),
    teams: SAMPLE_TEAMS,
    checkSchema: schemaChecker(),
    now: NOW,
    schemaPath: '../../schemas/person.schema.json',
  });

describe('a request becomes exactly one file edit, keeping every byte of the file it edits', () => {
  const grant = { system: 'crm', role: 'admin', justification: 'Quarter-end reports.' };

  it('appends after the last grant, in the list style of the file, every other line untouched', () => {
    const before = sampleFiles()[JSMITH]!;
    const after = addGrantsToPersonYaml(before, [{ ...grant, expires: '2027-01-31' }])!;
    expect(after.startsWith(before.replace(/\n$/, ''))).toBe(true);
    expect(after.slice(before.length)).toBe(
      '  - system: crm\n    role: admin\n    justification: Quarter-end reports.\n    expires: "2027-01-31"\n',
    );
  });

  it.each([
    [
      'grants in the middle, with comments',
      'kind: Person\ngrants:\n  # the first\n  - system: a\n    role: b # why\n# next\nstatus: active\n',
    ],
    ['no grants key', 'kind: Person\nuid: x # keep\n'],
    ['grants: [] with a comment', 'kind: Person\ngrants: [] # none yet\nstatus: active\n'],
    ['grants: with nothing', 'kind: Person\ngrants:\nstatus: active\n'],
    ['list at column 0', 'kind: Person\ngrants:\n- system: a\n  role: b\nstatus: active\n'],
    ['no final newline', 'kind: Person\ngrants:\n  - system: a\n    role: b'],
    ['CRLF line ends', 'kind: Person\r\ngrants:\r\n  - system: a\r\n    role: b\r\n'],
  ])('%s: the result parses to the old grants plus the new, comments kept', (_name, text) => {
    const after = addGrantsToPersonYaml(text, [grant])!;
    const old = (parse(text) as { grants?: unknown[] | null }).grants ?? [];
    expect((parse(after) as { grants: unknown[] }).grants).toEqual([...old, grant]);
    for (const comment of text.match(/#[^\r\n]*/g) ?? []) expect(after).toContain(comment);
    if (text.includes('\r\n')) expect(after.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('a value cannot add YAML of its own', () => {
    const after = addGrantsToPersonYaml('kind: Person\n', [
      { ...grant, justification: 'x\n  - system: production\n    role: admin' },
    ])!;
    expect((parse(after) as { grants: unknown[] }).grants).toHaveLength(1);
  });

  it('refuses a grants value that is not a list', () => {
    expect(addGrantsToPersonYaml('kind: Person\ngrants: none\n', [grant])).toBeUndefined();
  });
});

describe('evaluateRequest: the tier and approvers before anything is written', () => {
  it('a standard grant: the manager approves', () => {
    const outcome = evaluate();
    expect(outcome.status).toBe('ready');
    if (outcome.status !== 'ready') return;
    expect(outcome.edit).toMatchObject({ path: JSMITH, created: false });
    expect(outcome.evaluation.tier).toBe('standard');
    expect(outcome.evaluation.changes.map((c) => [c.kind, c.levels.map((l) => [l.level, l.candidates])])).toEqual([
      ['grant-added', [['manager', ['mjohnson-ex']]]],
    ]);
    expect(validateWith({ [JSMITH]: outcome.edit.text }).diagnostics).toEqual([]);
  });

  it('a privileged role needs the privileged tier; an emergency grant only the emergency level', () => {
    const admin = evaluate({ grants: [{ system: 'production', role: 'admin' }] });
    expect(admin.status === 'invalid' && admin.problems.map((p) => p.code)).toContain('INVALID_CHANGE'); // attestations
    const emergency = evaluate({
      grants: [{ system: 'project-tools', role: 'member' }],
      emergency: true,
      expires: '2026-11-23',
    });
    expect(emergency.status === 'ready' && requestTier(emergency.evaluation)).toBe('emergency');
  });

  it('a new person: the file is created with the identity given (when the policy lets them hold the role)', () => {
    const newcomer = {
      uid: 'anew',
      newPerson: { name: 'Ann New', email: 'ann.new@example.org', type: 'contractor' as const, manager: 'mjohnson' },
      department: 'sales',
    };
    // The sample policy wants an MFA attestation for every role, which nobody has recorded for a newcomer.
    const attested = evaluate(newcomer);
    expect(attested.status === 'invalid' && attested.problems[0]!.message).toMatch(/MISSING_ATTESTATION: .*mfa/);
    const policy = sampleFiles()['access/policy.yaml']!.replace(
      '  low:\n    tier: standard\n    requirements: [mfa]\n',
      '  low:\n    tier: standard\n',
    );
    expect(policy).not.toBe(sampleFiles()['access/policy.yaml']);
    const outcome = evaluate(newcomer, { ...sampleFiles(), 'access/policy.yaml': policy });
    expect(outcome.status).toBe('ready');
    if (outcome.status !== 'ready') return;
    expect(outcome.edit).toMatchObject({ path: 'access/people/anew.yaml', created: true });
    expect(parse(outcome.edit.text)).toMatchObject({
      uid: 'anew',
      type: 'contractor',
      manager: 'mjohnson',
      department: 'sales',
    });
  });

  it.each([
    [{ grants: [{ system: 'crn', role: 'sales-rep' }] }, 'UNKNOWN_SYSTEM', 'access'],
    [{ grants: [{ system: 'crm', role: 'sales-rap' }] }, 'UNKNOWN_ROLE', 'access'],
    [{ grants: [{ system: 'crm', role: 'sales-rep' }] }, 'ALREADY_GRANTED', 'access'],
    [{ grants: [] }, 'MISSING_FIELD', 'access'],
    [{ department: 'finance' }, 'DEPARTMENT_MISMATCH', 'department'],
    [{ uid: 'nobody' }, 'UNKNOWN_PERSON', 'uid'],
    [{ uid: 'ekim' }, 'PERSON_NOT_ACTIVE', 'uid'],
    [{ expires: '2026-02-30' }, 'INVALID_DATE', 'end'],
    [{ starts: 'tomorrow' }, 'INVALID_DATE', 'start'],
    [{ emergency: true }, 'MISSING_FIELD', 'end'],
    [{ emergency: true, expires: '2027-06-30' }, 'INVALID_CHANGE', 'end'],
    [{ justification: 'CUI data for the launch.' }, 'INVALID_CHANGE', 'justification'],
    [{ grants: [{ system: 'financial', role: 'payment-checker' }] }, 'INVALID_CHANGE', 'access'],
  ] as const)('%j: %s on %s, and nothing to write', (fields, code, field) => {
    const files =
      code === 'INVALID_CHANGE' && JSON.stringify(fields).includes('payment-checker')
        ? {
            ...sampleFiles(),
            [JSMITH]: `${sampleFiles()[JSMITH]}  - system: financial\n    role: payment-maker\n    justification: Enters payments.\n`,
          }
        : sampleFiles();
    const outcome = evaluate(fields as Partial<AccessRequest>, files);
    expect(outcome.status).toBe('invalid');
    if (outcome.status !== 'invalid') return;
    expect(outcome.problems.map((p) => [p.code, p.field])).toContainEqual([code, field]);
    expect('edit' in outcome).toBe(false);
  });
});
