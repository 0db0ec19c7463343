import { describe, expect, it } from 'vitest';
import { normalizeLegalName } from '../../src/core/validate/rules/organization-rules.js';
import { at, atValue, NOW, sampleFiles, validateWith, where } from '../helpers/sample-tree.js';

const JANE = 'access/people/jsmith.yaml';
const JOHN = 'access/people/jdoe.acme.yaml';
const sample = sampleFiles();
const edit = (file: string, from: string, to: string): Record<string, string> => {
  const text = sample[file]!;
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  return { [file]: text.replace(from, to) };
};

describe('the sample organisation', () => {
  it('is valid', () => {
    expect(validateWith().diagnostics).toEqual([]);
  });
});

describe('identity', () => {
  it('uid must equal the file name', () => {
    const r = validateWith({ 'access/people/jane.yaml': sample[JANE]!, [JANE]: null });
    expect(where(r.diagnostics, 'ID_FILE_MISMATCH')).toEqual([at(r, 'access/people/jane.yaml', 'jsmith')]);
  });

  it('system id must equal the file name', () => {
    const r = validateWith(edit('access/systems/crm.yaml', 'id: crm', 'id: crm2'));
    expect(where(r.diagnostics, 'ID_FILE_MISMATCH')).toEqual([at(r, 'access/systems/crm.yaml', 'crm2')]);
  });

  it('ids are unique', () => {
    const copy = sample['access/orgs/globex.yaml']!.replace(
      'legalName: Globex Supply Co.',
      'legalName: Other Name',
    ).replace('VND-20577', 'VND-1');
    const r = validateWith({ 'access/orgs/globex.yml': copy });
    expect(where(r.diagnostics, 'DUPLICATE_ID')).toEqual([at(r, 'access/orgs/globex.yml', 'globex', 0)]);
  });

  it('emails are unique ignoring case', () => {
    const r = validateWith(
      edit('access/people/mjohnson.yaml', 'michael.johnson@example.org', 'Jane.Smith@Example.org'),
    );
    expect(where(r.diagnostics, 'DUPLICATE_EMAIL')).toEqual([atValue(r, 'access/people/mjohnson.yaml', 'email')]);
  });

  it('GitHub logins are unique ignoring case', () => {
    const r = validateWith(edit('access/people/mjohnson.yaml', 'github: mjohnson-ex', 'github: JSmith-EX'));
    expect(where(r.diagnostics, 'DUPLICATE_GITHUB')).toEqual([atValue(r, 'access/people/mjohnson.yaml', 'github')]);
  });

  it('a kind lives in its folder', () => {
    const r = validateWith({ 'access/systems/jsmith.yaml': sample[JANE]!, [JANE]: null });
    expect(where(r.diagnostics, 'MISPLACED_FILE')).toEqual([at(r, 'access/systems/jsmith.yaml', 'Person')]);
  });

  it('there is one policy', () => {
    expect(where(validateWith({ 'access/policy.yaml': null }).diagnostics, 'MISSING_POLICY')).toEqual([
      { file: 'access/policy.yaml', line: 1, column: 1 },
    ]);
    const r = validateWith({ 'access/policy2.yaml': sample['access/policy.yaml']! });
    expect(where(r.diagnostics, 'DUPLICATE_POLICY')).toEqual([atValue(r, 'access/policy2.yaml', 'kind')]);
  });
});

describe('references', () => {
  it.each([
    ['UNKNOWN_MANAGER', 'manager: mjohnson', 'manager: nobody', 'nobody'],
    ['UNKNOWN_DEPARTMENT', 'department: sales', 'department: marketing', 'marketing'],
    ['UNKNOWN_SYSTEM', 'system: crm', 'system: erp', 'erp'],
    ['UNKNOWN_ROLE', 'role: sales-rep', 'role: superuser', 'superuser'],
  ] as const)('%s', (code, from, to, needle) => {
    const r = validateWith(edit(JANE, from, to));
    expect(where(r.diagnostics, code)).toEqual([at(r, JANE, needle)]);
  });

  it('UNKNOWN_SPONSOR and UNKNOWN_ORG', () => {
    const r = validateWith({ ...edit(JOHN, 'sponsor: mjohnson', 'sponsor: ghost') });
    expect(where(r.diagnostics, 'UNKNOWN_SPONSOR')).toEqual([at(r, JOHN, 'ghost')]);
    const r2 = validateWith(edit(JOHN, 'org: acme-partners', 'org: acme-corp'));
    expect(where(r2.diagnostics, 'UNKNOWN_ORG')).toEqual([atValue(r2, JOHN, 'org')]);
  });

  it('a reference to a file that failed its schema is not reported again', () => {
    const r = validateWith(edit('access/people/mjohnson.yaml', 'type: employee', 'type: boss'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['SCHEMA_ENUM']);
  });

  it('the manager chain has no cycle', () => {
    const r = validateWith(
      edit('access/people/rbrown.yaml', 'department: executive', 'department: executive\nmanager: jsmith'),
    );
    expect(where(r.diagnostics, 'MANAGER_CYCLE')).toEqual([atValue(r, 'access/people/dwilliams.yaml', 'manager')]);
    expect(r.diagnostics.find((d) => d.code === 'MANAGER_CYCLE')?.message).toContain(
      'dwilliams -> rbrown -> jsmith -> mjohnson -> dwilliams',
    );
  });

  it('a person may not manage themselves', () => {
    const r = validateWith(edit(JANE, 'manager: mjohnson', 'manager: jsmith'));
    expect(where(r.diagnostics, 'MANAGER_CYCLE')).toEqual([atValue(r, JANE, 'manager')]);
  });

  it('policy names real people, levels and roles', () => {
    const p = 'access/policy.yaml';
    const r = validateWith(edit(p, 'head: swhite', 'head: nobody'));
    expect(where(r.diagnostics, 'UNKNOWN_PERSON')).toEqual([at(r, p, 'nobody')]);
    const r2 = validateWith(edit(p, 'levels: [manager]', 'levels: [boss]'));
    expect(where(r2.diagnostics, 'UNKNOWN_LEVEL')).toEqual([at(r2, p, 'boss')]);
    const r3 = validateWith(edit(p, 'financial/payment-checker', 'financial/payment-approver'));
    expect(where(r3.diagnostics, 'UNKNOWN_ROLE')).toEqual([at(r3, p, 'financial/payment-approver')]);
  });

  it('a grant is declared once', () => {
    const r = validateWith(edit(JANE, '  - system: crm\n', '  - system: email\n    role: user\n  - system: crm\n'));
    expect(where(r.diagnostics, 'DUPLICATE_GRANT')).toEqual([at(r, JANE, 'system: email', 1)]);
  });

  it('two roles may not share a directory group', () => {
    const r = validateWith(
      edit('access/systems/project-tools.yaml', 'group: proj-guests', 'group: crm-partner-portal'),
    );
    expect(where(r.diagnostics, 'DUPLICATE_GROUP')).toEqual([
      at(r, 'access/systems/project-tools.yaml', 'crm-partner-portal'),
    ]);
  });
});

describe('external people', () => {
  it('need an organization and a sponsor', () => {
    const r = validateWith(edit(JOHN, 'org: acme-partners\nsponsor: mjohnson\n', ''));
    expect(where(r.diagnostics, 'EXTERNAL_NO_ORG')).toEqual([at(r, JOHN, 'external')]);
    expect(where(r.diagnostics, 'EXTERNAL_NO_SPONSOR')).toEqual([at(r, JOHN, 'external')]);
  });

  it('the sponsor is an active employee', () => {
    const r = validateWith(edit(JOHN, 'sponsor: mjohnson', 'sponsor: pkowalski'));
    expect(where(r.diagnostics, 'EXTERNAL_BAD_SPONSOR')).toEqual([at(r, JOHN, 'pkowalski')]);
    const r2 = validateWith(edit(JOHN, 'sponsor: mjohnson', 'sponsor: ekim'));
    expect(where(r2.diagnostics, 'EXTERNAL_BAD_SPONSOR')).toEqual([at(r2, JOHN, 'ekim')]);
  });

  it('every grant is justified', () => {
    const r = validateWith(
      edit(JOHN, "    justification: Registers Acme's deals in the partner portal under the reseller agreement.\n", ''),
    );
    expect(where(r.diagnostics, 'EXTERNAL_NO_JUSTIFICATION')).toEqual([at(r, JOHN, 'system: crm')]);
  });

  it('an internal role is a privilege escalation', () => {
    const r = validateWith(edit(JOHN, 'role: partner', 'role: sales-rep'));
    expect(where(r.diagnostics, 'PRIVILEGE_ESCALATION')).toEqual([at(r, JOHN, 'sales-rep')]);
  });

  it('a privileged role is a privilege escalation even if marked external', () => {
    const r = validateWith({
      ...edit(JOHN, 'role: partner', 'role: admin'),
      ...edit(
        'access/systems/crm.yaml',
        '    risk: high\n    privileged: true',
        '    risk: high\n    privileged: true\n    external: true',
      ),
    });
    expect(where(r.diagnostics, 'PRIVILEGE_ESCALATION')).toEqual([at(r, JOHN, 'admin')]);
  });

  it('grants expire within the policy maximum', () => {
    const r = validateWith(edit(JOHN, 'expires: "2027-06-30"', 'expires: "2029-01-01"'));
    expect(where(r.diagnostics, 'EXTERNAL_TOO_LONG')).toEqual([at(r, JOHN, '"2029-01-01"')]);
  });
});

describe('separation of duties', () => {
  it('no one holds both roles of a rule', () => {
    const file = 'access/people/lmartin.yaml';
    const r = validateWith({
      [file]: `${sample[file]!}  - system: financial\n    role: payment-checker\n    justification: covering holidays\n`,
    });
    expect(where(r.diagnostics, 'SOD_CONFLICT')).toEqual([at(r, file, 'payment-checker')]);
  });
});

describe('forbidden terms', () => {
  it('match whole words in any case, at the word', () => {
    const r = validateWith(
      edit(JANE, 'justification: Manages customer accounts', 'justification: Handles cui documents and accounts'),
    );
    expect(where(r.diagnostics, 'FORBIDDEN_TERM')).toEqual([at(r, JANE, 'cui')]);
  });

  it('do not match inside other words', () => {
    const r = validateWith(
      edit(JANE, 'justification: Manages customer accounts', 'justification: Manages circuit and biscuit accounts'),
    );
    expect(where(r.diagnostics, 'FORBIDDEN_TERM')).toEqual([]);
  });

  it('match multi-word terms across spacing', () => {
    const file = 'access/systems/financial.yaml';
    const r = validateWith(
      edit(file, 'description: Read-only reports.', 'description: "Reports, some Controlled  Unclassified."'),
    );
    expect(where(r.diagnostics, 'FORBIDDEN_TERM')).toEqual([at(r, file, 'Controlled')]);
  });
});

describe('emergency grants', () => {
  const emergency = (expires: string | undefined) => ({
    [JANE]: `${sample[JANE]!}  - system: production\n    role: read-only\n    emergency: true\n    justification: INC-7 outage\n${expires ? `    expires: "${expires}"\n` : ''}`,
  });

  it('need expires', () => {
    const r = validateWith(emergency(undefined));
    expect(where(r.diagnostics, 'EMERGENCY_NO_EXPIRY')).toEqual([at(r, JANE, 'system: production')]);
  });

  it('may not run past the policy maximum (72h)', () => {
    const r = validateWith(emergency('2026-11-26T12:00:00Z'));
    expect(where(r.diagnostics, 'EMERGENCY_TOO_LONG')).toEqual([at(r, JANE, '"2026-11-26T12:00:00Z"')]);
  });

  it('within the maximum are fine', () => {
    const r = validateWith(emergency('2026-11-24T12:00:00Z'));
    expect(r.diagnostics.filter((d) => d.code.startsWith('EMERGENCY'))).toEqual([]);
  });
});

describe('dates and attestations', () => {
  it('an impossible date is an error', () => {
    const r = validateWith(edit('access/people/pkowalski.yaml', 'expires: "2027-03-31"', 'expires: "2027-02-30"'));
    expect(where(r.diagnostics, 'SCHEMA_FORMAT')).toEqual([at(r, 'access/people/pkowalski.yaml', '"2027-02-30"')]);
  });

  it('an expired grant is a warning', () => {
    const r = validateWith({}, { now: Date.parse('2027-04-02T00:00:00Z') });
    const expired = r.diagnostics.filter((d) => d.code === 'GRANT_EXPIRED');
    expect(expired.map((d) => d.severity)).toEqual(['warning', 'warning', 'warning']);
    expect(expired[0]).toMatchObject(at(r, 'access/people/pkowalski.yaml', '"2027-03-31"'));
  });

  it('a privileged role needs the background check', () => {
    const file = 'access/people/tnguyen.yaml';
    const r = validateWith(edit(file, '  backgroundCheck: "2026-04-20"\n', ''));
    expect(where(r.diagnostics, 'MISSING_ATTESTATION')).toEqual([at(r, file, 'system: production', 1)]);
  });
});

describe('identifiers are never reused', () => {
  it('a tombstoned uid cannot be given to someone else', () => {
    const text = sample[JANE]!.replace(/jsmith/g, 'bwilson')
      .replace('jane.smith@', 'b.wilson2@')
      .replace('EMP-45678', 'EMP-99999');
    const r = validateWith({ 'access/people/bwilson.yaml': text, [JANE]: null });
    expect(where(r.diagnostics, 'UID_REUSED')).toEqual([atValue(r, 'access/people/bwilson.yaml', 'uid')]);
  });

  it('a tombstoned email cannot be given to someone else', () => {
    const r = validateWith(edit(JANE, 'jane.smith@example.org', 'Bob.Wilson@example.org'));
    expect(where(r.diagnostics, 'EMAIL_REUSED')).toEqual([at(r, JANE, 'Bob.Wilson@example.org')]);
  });

  it('the same person (same employee id) may come back', () => {
    const text = sample[JANE]!.replace(/jsmith/g, 'bwilson')
      .replace('jane.smith@', 'bob.wilson@')
      .replace('EMP-45678', 'EMP-10020');
    const r = validateWith({ 'access/people/bwilson.yaml': text, [JANE]: null });
    expect(r.diagnostics).toEqual([]);
  });

  it('identities retired in history are checked', () => {
    const r = validateWith(
      {},
      { retired: [{ uid: 'jsmith', email: 'jsmith.old@example.org', name: 'Joe Smith', evidence: 'commit abc' }] },
    );
    expect(where(r.diagnostics, 'UID_REUSED')).toEqual([atValue(r, JANE, 'uid')]);
  });
});

describe('organizations', () => {
  const acme = sample['access/orgs/acme-partners.yaml']!;
  it.each([
    [
      'same externalRef',
      acme.replace('legalName: Acme Partners Ltd.', 'legalName: Totally Different GmbH'),
      'VND-10234',
    ],
    [
      'same legal name modulo case, punctuation and suffix',
      acme.replace('legalName: Acme Partners Ltd.', 'legalName: "ACME PARTNERS, Inc."').replace('VND-10234', 'VND-5'),
      '"ACME',
    ],
  ])('%s is a duplicate', (_name, text, needle) => {
    const file = 'access/orgs/acme2.yaml';
    const r = validateWith({ [file]: text.replace('id: acme-partners', 'id: acme2') });
    expect(where(r.diagnostics, 'DUPLICATE_ORG')).toEqual([at(r, file, needle)]);
  });

  it.each([
    ['Acme Partners Ltd.', 'acme partners'],
    ['ACME PARTNERS LIMITED', 'acme partners'],
    ['Société Générale S.A.', 'societe generale'],
    ['Smith & Sons, L.L.C.', 'smith and sons'],
    ['Co', 'co'],
  ])('normalizes %s', (name, expected) => {
    expect(normalizeLegalName(name)).toBe(expected);
  });
});

it('time comes in as a parameter', () => {
  expect(NOW).toBe(Date.parse('2026-11-22T12:00:00Z'));
});
