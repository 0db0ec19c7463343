import { describe, expect, it } from 'vitest';
import { at, atValue, sampleFiles, validateWith, where } from '../helpers/sample-tree.js';

// Values the directory would refuse are validation errors with a code and a position, so that
// `aac apply` never meets them.
const JANE = 'access/people/jsmith.yaml';
const sample = sampleFiles();
const edit = (file: string, from: string | RegExp, to: string): Record<string, string> => {
  const text = sample[file]!;
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${String(from)} not in ${file}`);
  return { [file]: next };
};
const activeDirectory = edit('access/policy.yaml', 'flavor: openldap', 'flavor: active-directory');

describe('values the directory would refuse', () => {
  it('a name that is blank once trimmed (sn would be empty)', () => {
    for (const blank of ['"   "', '"\u00a0\u00a0"']) {
      const r = validateWith(edit(JANE, 'name: Jane Smith', `name: ${blank}`));
      expect(where(r.diagnostics, 'BLANK_VALUE')).toEqual([atValue(r, JANE, 'name')]);
    }
  });

  it('group names that differ only in case or spacing are one group to the directory', () => {
    for (const twin of ['CRM-Sales-Reps', 'crm-sales-reps']) {
      const r = validateWith(edit('access/systems/crm.yaml', 'group: crm-sales-managers', `group: ${twin}`));
      // Reported at the second role that names it.
      expect(where(r.diagnostics, 'DUPLICATE_GROUP')).toEqual(
        [at(r, 'access/systems/crm.yaml', `group: ${twin}`, twin === 'crm-sales-reps' ? 1 : 0)].map((p) => ({
          ...p,
          column: p.column + 7,
        })),
      );
    }
    const spaced = validateWith({
      ...edit('access/systems/crm.yaml', 'group: crm-sales-reps', 'group: crm sales  reps'),
      ...edit('access/systems/email.yaml', 'group: email-users', 'group: CRM Sales Reps'),
    });
    expect(where(spaced.diagnostics, 'DUPLICATE_GROUP')).toHaveLength(1);
  });

  it('Active Directory: sAMAccountName at most 20 characters', () => {
    const long = 'jsmith.with.a.long.uid';
    const files: Record<string, string | null> = {
      ...activeDirectory,
      [JANE]: null,
      [`access/people/${long}.yaml`]: sample[JANE]!.replace('uid: jsmith', `uid: ${long}`),
    };
    const r = validateWith(files);
    expect(where(r.diagnostics, 'DIRECTORY_LIMIT')).toEqual([atValue(r, `access/people/${long}.yaml`, 'uid')]);
    expect(r.diagnostics.find((d) => d.code === 'DIRECTORY_LIMIT')!.message).toMatch(/sAMAccountName/);
    // The same uid is fine on OpenLDAP.
    const { 'access/policy.yaml': _, ...openldap } = files;
    expect(where(validateWith(openldap).diagnostics, 'DIRECTORY_LIMIT')).toEqual([]);
  });

  it('Active Directory: employeeID, title and the name parts within their rangeUpper', () => {
    const r = validateWith({
      ...activeDirectory,
      ...edit(JANE, /employeeId: .*\n[\s\S]*title: .*/, `employeeId: EMP-${'1'.repeat(13)}\ntitle: ${'T'.repeat(129)}`),
    });
    expect(where(r.diagnostics, 'DIRECTORY_LIMIT')).toEqual([
      atValue(r, JANE, 'employeeId'),
      atValue(r, JANE, 'title'),
    ]);
    const surname = validateWith({
      ...activeDirectory,
      ...edit(JANE, 'name: Jane Smith', `name: Jane ${'S'.repeat(65)}`),
    });
    expect(where(surname.diagnostics, 'DIRECTORY_LIMIT')).toEqual([atValue(surname, JANE, 'name')]);
  });
});

describe('reconcile.unmanaged', () => {
  const withUnmanaged = (items: string[]): Record<string, string> =>
    edit(
      'access/policy.yaml',
      /\nreconcile:\n/,
      `\nreconcile:\n  unmanaged:\n${items.map((i) => `    - "${i}"`).join('\n')}\n`,
    );

  it('takes DNs under the managed OUs and LDAP filters', () => {
    const r = validateWith(
      withUnmanaged([
        'uid=svc-backup,ou=people',
        'ou=service-accounts,ou=people',
        'cn=legacy-vpn,ou=groups',
        '(employeeType=service)',
        '(&(objectClass=inetOrgPerson)(|(uid=svc-*)(description=\\28legacy\\29)))',
        '(!(mail=*))',
      ]),
    );
    expect(where(r.diagnostics, 'INVALID_UNMANAGED')).toEqual([]);
  });

  it('refuses what would silently match nothing, at the item', () => {
    const items = ['uid=svc,ou=elsewhere', 'just a name', '(uid=svc', '(uid=a(b))', '(&)', '(=x)'];
    const r = validateWith(withUnmanaged(items));
    const found = r.diagnostics.filter((d) => d.code === 'INVALID_UNMANAGED');
    expect(found).toHaveLength(items.length);
    const policy = r.files['access/policy.yaml']!;
    expect(found.map((d) => d.line)).toEqual(
      items.map((i) => policy.split('\n').findIndex((l) => l.includes(`"${i}"`)) + 1),
    );
  });
});
