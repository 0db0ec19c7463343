import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupByHuman, identityKeyOf, isSameHuman } from '../../src/core/model/identity.js';
import { parseCalendarDate, parseExpiry } from '../../src/core/model/time.js';
import { EMAIL_PATTERN } from '../../src/core/validate/schema-diagnostics.js';
import { atValue, at, REPO_ROOT, sampleFiles, validateWith, where } from '../helpers/sample-tree.js';

const sample = sampleFiles();
const JANE = 'access/people/jsmith.yaml';
const MIKE = 'access/people/mjohnson.yaml';
const edit = (file: string, from: string, to: string, files = sample): Record<string, string> => {
  const text = files[file]!;
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  return { [file]: text.replace(from, to) };
};
/** A second file for Jane under another uid, with `replace` applied. */
const janeCopy = (uid: string, replace: Array<[string, string]>): Record<string, string> => {
  let text = sample[JANE]!.replace('uid: jsmith', `uid: ${uid}`);
  for (const [from, to] of replace) {
    if (!text.includes(from)) throw new Error(`${from} not in the copy`);
    text = text.replace(from, to);
  }
  return { [`access/people/${uid}.yaml`]: text };
};

describe('the identity function (one human, one key)', () => {
  it('is employeeId where present, else uid, else email, compared as the directory compares', () => {
    expect(identityKeyOf({ uid: 'jsmith', employeeId: 'EMP-1', email: 'J@x.org' })).toBe('employeeId:emp-1');
    expect(identityKeyOf({ uid: 'JSmith', email: 'J@x.org' })).toBe('uid:jsmith');
    expect(identityKeyOf({ email: 'J@X.org' })).toBe('email:j@x.org');
    expect(identityKeyOf({})).toBeUndefined();
  });

  it('two employee numbers decide on their own; otherwise any shared identifier is the same human', () => {
    expect(isSameHuman({ employeeId: 'E-1', email: 'a@x.org' }, { employeeId: 'e-1', email: 'b@x.org' })).toBe(true);
    expect(isSameHuman({ employeeId: 'E-1', email: 'a@x.org' }, { employeeId: 'E-2', email: 'a@x.org' })).toBe(false);
    expect(isSameHuman({ uid: 'a', email: 'A@x.org' }, { uid: 'b', email: 'a@X.org' })).toBe(true);
    expect(isSameHuman({ uid: 'a', github: 'Ann' }, { uid: 'b', github: 'ann' })).toBe(true);
    expect(isSameHuman({ uid: 'a', email: 'a@x.org' }, { uid: 'b', email: 'b@x.org' })).toBe(false);
  });

  it('groups records that share any identifier, transitively', () => {
    const a = { email: 'a@x.org' };
    const b = { email: 'A@x.org', github: 'bee' };
    const c = { github: 'BEE' };
    const d = { email: 'd@x.org' };
    expect(groupByHuman([a, d, b, c], (r) => r)).toEqual([[a, b, c], [d]]);
  });
});

describe('two files claiming one identity', () => {
  it('DUPLICATE_EMPLOYEE_ID at the second file’s value, ignoring case as the directory does', () => {
    const r = validateWith(
      janeCopy('jane', [
        ['EMP-45678', 'emp-45678'],
        ['jane.smith@example.org', 'jane@example.org'],
        ['github: jsmith-ex', 'github: jane-other'],
      ]),
    );
    expect(where(r.diagnostics, 'DUPLICATE_EMPLOYEE_ID')).toEqual([
      atValue(r, 'access/people/jsmith.yaml', 'employeeId'),
    ]);
  });

  it('the employeeId of a production admin copied into another file is an error there', () => {
    const r = validateWith(edit(JANE, 'employeeId: EMP-45678', 'employeeId: EMP-12001'));
    expect(where(r.diagnostics, 'DUPLICATE_EMPLOYEE_ID')).toEqual([atValue(r, JANE, 'employeeId')]);
  });

  it('a returning person may have a new file beside the old one kept with status: deleted', () => {
    const old = edit(JANE, 'status: active', 'status: deleted');
    const back = janeCopy('jsmith2', [['github: jsmith-ex', 'github: jsmith-back']]);
    const r = validateWith({ ...old, ...back });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('the same email without a shared employeeId is DUPLICATE_EMAIL even when one file is deleted', () => {
    const old = edit('access/people/ekim.yaml', 'status: disabled', 'status: deleted');
    const email = /email: (.*)/.exec(sample['access/people/ekim.yaml']!)![1]!;
    const r = validateWith({ ...old, ...edit(MIKE, 'michael.johnson@example.org', email.toUpperCase()) });
    expect(where(r.diagnostics, 'DUPLICATE_EMAIL')).toEqual([atValue(r, MIKE, 'email')]);
  });

  it('a former email is reserved: another file using it is EMAIL_REUSED', () => {
    const r = validateWith({
      ...edit(JANE, 'status: active', 'status: active\nformerEmails: [jane.doe@example.org]'),
      ...edit(MIKE, 'michael.johnson@example.org', 'Jane.Doe@example.org'),
    });
    expect(where(r.diagnostics, 'EMAIL_REUSED')).toEqual([at(r, JANE, 'jane.doe@example.org')]);
  });

  it('a former uid is reserved: another file may not have it, nor keep it too', () => {
    const r = validateWith(edit(MIKE, 'status: active', 'status: active\nformerUids: [jsmith]'));
    expect(where(r.diagnostics, 'UID_REUSED')).toEqual([at(r, MIKE, 'jsmith')]);
    const twice = validateWith({
      ...edit(MIKE, 'status: active', 'status: active\nformerUids: [oldname]'),
      ...edit(JANE, 'status: active', 'status: active\nformerUids: [oldname]'),
    });
    expect(where(twice.diagnostics, 'UID_REUSED')).toEqual([at(twice, MIKE, 'oldname')]);
  });

  it('a rename that keeps its old uid and email is valid, and history does not call it a reuse', () => {
    const renamed = janeCopy('jane', [['status: active', 'status: active\nformerUids: [jsmith]']]);
    const r = validateWith(
      { [JANE]: null, ...renamed },
      { retired: [{ uid: 'jsmith', email: 'jane.smith@example.org', evidence: 'commit 1' }] },
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('separation of duties is per human, across files', () => {
  it('a second file of the same human holding the other half of a pair is SOD_CONFLICT there', () => {
    const payments = (role: string): string =>
      `  - system: financial\n    role: ${role}\n    justification: Accounts payable processing.\n`;
    const lm = sample['access/people/lmartin.yaml']!;
    const second = {
      'access/people/lmartin2.yaml': lm
        .replace('uid: lmartin', 'uid: lmartin2')
        .replace(/email: .*/, 'email: l.martin2@example.org')
        .replace(/employeeId: .*\n/, '')
        .replace(/grants:\n[\s\S]*$/, `grants:\n${payments('payment-checker')}`),
    };
    expect(lm).toContain('payment-maker');
    const r = validateWith(second);
    const sod = where(r.diagnostics, 'SOD_CONFLICT');
    expect(sod).toEqual([at(r, 'access/people/lmartin2.yaml', 'payment-checker')]);
    expect(where(r.diagnostics, 'DUPLICATE_GITHUB')).toHaveLength(1);
  });
});

describe('values are what they claim: dates', () => {
  it('only real calendar dates parse', () => {
    expect(parseCalendarDate('2028-02-29')).toBe(Date.UTC(2028, 1, 29));
    for (const text of [
      '2026-02-29',
      '2026-02-30',
      '2026-13-01',
      '2026-04-31',
      '2026-01-01T24:00',
      '2026-01-01T10:60Z',
    ])
      expect(parseCalendarDate(text), text).toBeUndefined();
    expect(parseExpiry('2026-02-30T10:00:00Z')).toBeUndefined();
    expect(parseExpiry('2026-11-22')).toBe(Date.UTC(2026, 10, 23) - 1);
    expect(parseExpiry('2026-11-22T10:00:00+02:00')).toBe(Date.UTC(2026, 10, 22, 8));
  });

  it.each([
    ['an attestation date', JANE, 'training: "2026-11-02"', 'training: "2026-02-30"', '2026-02-30'],
    [
      'an expiry date-time',
      JANE,
      'justification: Corporate mailbox for a new hire.',
      'justification: Corporate mailbox for a new hire.\n    expires: "2027-02-30T10:00:00Z"',
      '2027-02-30',
    ],
    [
      'a contract end',
      'access/orgs/globex.yaml',
      'contact: it@globex.example',
      'contact: it@globex.example\ncontractEnds: "2027-04-31"',
      '2027-04-31',
    ],
    ['a tombstone date', 'access/policy.yaml', 'retired: "2023-06-30"', 'retired: "2023-06-31"', '2023-06-31'],
  ])('%s that does not exist is SCHEMA_FORMAT at the value', (_, file, from, to, needle) => {
    const r = validateWith(edit(file, from, to));
    const found = where(r.diagnostics, 'SCHEMA_FORMAT');
    const expected = at(r, file, needle);
    expect(found).toEqual([{ ...expected, column: expected.column - 1 }]);
  });

  it('an attestation dated in the future does not count', () => {
    const janeOnly = (r: ReturnType<typeof validateWith>): unknown[] =>
      where(r.diagnostics, 'MISSING_ATTESTATION').filter((d) => d.file === JANE);
    const policy = edit('access/policy.yaml', 'requirements: [mfa]', 'requirements: [mfa, training]');
    const files = { ...sample, ...policy };
    const future = validateWith(edit(JANE, 'training: "2026-11-02"', 'training: "2026-12-24"', files), { base: files });
    expect(janeOnly(future)).toEqual([at(future, JANE, 'system: email')]);
    expect(janeOnly(validateWith({}, { base: files }))).toEqual([]);
  });
});

describe('values are what they claim: one email rule', () => {
  it('the schemas share one pattern, and it is the one the validator names', () => {
    for (const file of ['person', 'organization', 'policy']) {
      const schema = JSON.parse(readFileSync(`${REPO_ROOT}schemas/${file}.schema.json`, 'utf8')) as {
        $defs: { email: { pattern: string } };
      };
      expect(schema.$defs.email.pattern, file).toBe(EMAIL_PATTERN);
    }
    expect(readFileSync(`${REPO_ROOT}schemas/person.schema.json`, 'utf8')).not.toContain('"format": "email"');
  });

  it.each([
    ['jane.smith@example.org', true],
    ["o'brien+access@mail.example.co.uk", true],
    ['jane..smith@example.org', false],
    ['.jane@example.org', false],
    ['jane@example', false],
    ['jane@-example.org', false],
    ['jane smith@example.org', false],
    [`${'a'.repeat(65)}@example.org`, false],
  ])('%s valid: %s', (email, valid) => {
    expect(new RegExp(EMAIL_PATTERN, 'u').test(email)).toBe(valid);
    const r = validateWith(edit(JANE, 'jane.smith@example.org', JSON.stringify(email)));
    expect(
      where(r.diagnostics, 'SCHEMA_PATTERN').length > 0 || where(r.diagnostics, 'UNSAFE_IDENTIFIER').length > 0,
    ).toBe(!valid);
  });
});
