import { describe, expect, it } from 'vitest';
import {
  activeDirectoryDialect,
  computeUserAccountControl,
  encodeUnicodePwd,
  formatObjectGuid,
  parseRangedValues,
  UAC,
} from '../../src/adapters/ldap/active-directory-dialect.js';
import { childDn, parseRdn } from '../../src/adapters/ldap/child-dn.js';
import { computeMemberChanges } from '../../src/adapters/ldap/compute-member-changes.js';
import { openLdapDirectory } from '../../src/adapters/ldap/ldap-directory.js';
import { ConfigError } from '../../src/errors.js';
import { parseGeneralizedTime } from '../../src/adapters/ldap/ldap-dialect.js';
import type { LdapEntry } from '../../src/adapters/ldap/ldap-dialect.js';
import { openldapDialect, PERMANENT_LOCK } from '../../src/adapters/ldap/openldap-dialect.js';
import type { AccountAttributes } from '../../src/core/plan/directory-snapshot.js';

const attributes: AccountAttributes = {
  name: 'Jane Smith',
  surname: 'Smith',
  givenName: 'Jane',
  mail: 'jane.smith@example.org',
  title: 'Account Executive',
  department: 'sales',
  employeeId: 'EMP-45678',
  type: 'employee',
};

describe('Active Directory encoding', () => {
  it('encodes unicodePwd as the quoted password in UTF-16LE', () => {
    expect(encodeUnicodePwd('ab')).toEqual(Buffer.from([0x22, 0, 0x61, 0, 0x62, 0, 0x22, 0]));
    expect(encodeUnicodePwd('é€').toString('hex')).toBe('2200e900ac202200');
  });

  it('formats objectGUID with its first three fields little-endian', () => {
    expect(formatObjectGuid(Buffer.from('00112233445566778899aabbccddeeff', 'hex'))).toBe(
      '33221100-5544-7766-8899-aabbccddeeff',
    );
    expect(() => formatObjectGuid(Buffer.alloc(15))).toThrow(RangeError);
  });

  it('sets and clears ACCOUNTDISABLE, keeping other userAccountControl flags', () => {
    const DONT_EXPIRE_PASSWORD = 0x10000;
    expect(computeUserAccountControl(UAC.NORMAL_ACCOUNT, true)).toBe(514);
    expect(computeUserAccountControl(514, false)).toBe(512);
    expect(computeUserAccountControl(512 | DONT_EXPIRE_PASSWORD, true)).toBe(514 | DONT_EXPIRE_PASSWORD);
    expect(computeUserAccountControl(0, false)).toBe(512);
  });

  it('reads member;range= chunks and names the next range to ask for', () => {
    const first: LdapEntry = { dn: 'cn=big', 'member;range=0-1499': ['cn=a', 'cn=b'] };
    expect(parseRangedValues(first, 'member')).toEqual({ values: ['cn=a', 'cn=b'], next: 'member;range=1500-*' });
    expect(parseRangedValues({ dn: 'cn=big', 'member;range=1500-*': 'cn=c' }, 'member')).toEqual({ values: ['cn=c'] });
    expect(parseRangedValues({ dn: 'cn=small', member: ['cn=a'] }, 'member')).toEqual({ values: ['cn=a'] });
    expect(parseRangedValues({ dn: 'cn=empty' }, 'member')).toEqual({ values: [] });
  });

  it('creates a user that must set a password at next logon', () => {
    const entry = activeDirectoryDialect.newAccount('jsmith', attributes, 'Temp-Pass-1234567890');
    expect(entry).toEqual({
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      cn: ['jsmith'],
      sAMAccountName: ['jsmith'],
      userPrincipalName: ['jsmith@example.org'],
      displayName: ['Jane Smith'],
      sn: ['Smith'],
      givenName: ['Jane'],
      mail: ['jane.smith@example.org'],
      title: ['Account Executive'],
      department: ['sales'],
      employeeID: ['EMP-45678'],
      employeeType: ['employee'],
      unicodePwd: [encodeUnicodePwd('Temp-Pass-1234567890')],
      userAccountControl: ['512'],
      pwdLastSet: ['0'],
    });
  });

  it('locks and unlocks through userAccountControl, and renames the logon name with the RDN', () => {
    const parsed = activeDirectoryDialect.parseAccount({
      dn: 'cn=jsmith,ou=people,dc=example,dc=org',
      objectGUID: Buffer.alloc(16, 1),
      sAMAccountName: 'jsmith',
      userAccountControl: '66048',
      pwdLastSet: '0',
      whenCreated: '20261122005825.0Z',
    });
    expect(parsed).toMatchObject({
      key: '01010101-0101-0101-0101-010101010101',
      uid: 'jsmith',
      locked: false,
      mustChangePassword: true,
      passwordSetAt: Date.UTC(2026, 10, 22, 0, 58, 25),
    });
    expect(activeDirectoryDialect.lockChanges(parsed)).toEqual([
      { operation: 'replace', type: 'userAccountControl', values: ['66050'] },
    ]);
    const locked = activeDirectoryDialect.parseAccount({
      dn: 'cn=x',
      objectGUID: Buffer.alloc(16),
      sAMAccountName: 'x',
      userAccountControl: '514',
      pwdLastSet: '133000000000000000',
    });
    expect(locked).toMatchObject({ locked: true, mustChangePassword: false });
    expect(activeDirectoryDialect.unlockChanges(locked)).toEqual([
      { operation: 'replace', type: 'userAccountControl', values: ['512'] },
    ]);
    expect(activeDirectoryDialect.renameChanges('jsmith2')).toEqual([
      { operation: 'replace', type: 'sAMAccountName', values: ['jsmith2'] },
    ]);
    expect(
      activeDirectoryDialect.attributeChanges([{ attribute: 'department', to: 'it' }, { attribute: 'title' }]),
    ).toEqual([
      { operation: 'replace', type: 'department', values: ['it'] },
      { operation: 'replace', type: 'title', values: [] },
    ]);
  });

  it('refuses to connect to AD without encryption, before any network access', async () => {
    const layout = {
      baseDn: 'dc=example,dc=org',
      baseDnSource: 'directory.baseDN' as const,
      peopleDn: 'ou=people,dc=example,dc=org',
      groupsDn: 'ou=groups,dc=example,dc=org',
      passwordPolicyDn: 'cn=default,ou=policies,dc=example,dc=org',
      flavor: 'active-directory' as const,
      unmanaged: { dns: [], filters: [] },
    };
    await expect(
      openLdapDirectory({ url: 'ldap://127.0.0.1:1', bindDn: 'cn=aac', bindPassword: 'x', layout }),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  it('creates groups that may be empty', () => {
    expect(activeDirectoryDialect.needsPlaceholder).toBe(false);
    expect(activeDirectoryDialect.newGroup('crm-admins', [])).toEqual({
      objectClass: ['top', 'group'],
      cn: ['crm-admins'],
      sAMAccountName: ['crm-admins'],
      groupType: ['-2147483646'],
    });
  });
});

describe('OpenLDAP encoding', () => {
  it('creates an inetOrgPerson with pwdReset and locks with a permanent pwdAccountLockedTime', () => {
    const entry = openldapDialect.newAccount('jsmith', attributes, 'Temp-Pass-1234567890');
    expect(entry).toMatchObject({
      objectClass: ['inetOrgPerson'],
      uid: ['jsmith'],
      cn: ['Jane Smith'],
      departmentNumber: ['sales'],
      employeeNumber: ['EMP-45678'],
      userPassword: ['Temp-Pass-1234567890'],
      pwdReset: ['TRUE'],
    });
    expect(openldapDialect.lockChanges(undefined)).toEqual([
      { operation: 'replace', type: 'pwdAccountLockedTime', values: [PERMANENT_LOCK] },
    ]);
    // Only aac's permanent value: a lockout set since the plan was made is not lifted.
    expect(openldapDialect.unlockChanges(undefined)).toEqual([
      { operation: 'delete', type: 'pwdAccountLockedTime', values: [PERMANENT_LOCK] },
    ]);
  });

  it('normalises ldapts string-or-array values when parsing', () => {
    const parsed = openldapDialect.parseAccount({
      dn: 'uid=a',
      entryUUID: 'k',
      uid: ['a'],
      cn: ['A One', 'Alias'],
      mail: 'a@example.org',
      pwdReset: 'TRUE',
      pwdAccountLockedTime: PERMANENT_LOCK,
      createTimestamp: '20261122005825Z',
    });
    expect(parsed).toMatchObject({
      key: 'k',
      uid: 'a',
      attributes: { name: 'A One', mail: 'a@example.org' },
      locked: true,
      mustChangePassword: true,
    });
  });
});

describe('computeMemberChanges (redoing a group change from a fresh read)', () => {
  const g = 'cn=g,ou=groups,dc=example,dc=org';
  const a = 'uid=a,ou=people,dc=example,dc=org';
  const b = 'uid=b,ou=people,dc=example,dc=org';
  it('does only what is left, and nothing when everything is there', () => {
    expect(
      computeMemberChanges({
        groupDn: g,
        current: [a],
        add: [a, b],
        remove: [],
        placeholder: undefined,
        needsPlaceholder: true,
      }),
    ).toEqual([{ operation: 'add', type: 'member', values: [b] }]);
    expect(
      computeMemberChanges({
        groupDn: g,
        current: [a],
        add: [a],
        remove: [b],
        placeholder: undefined,
        needsPlaceholder: true,
      }),
    ).toEqual([]);
  });
  it('keeps a groupOfNames valid: placeholder in when it empties, out when a member arrives', () => {
    expect(
      computeMemberChanges({
        groupDn: g,
        current: [a],
        add: [],
        remove: [a],
        placeholder: undefined,
        needsPlaceholder: true,
      }),
    ).toEqual([
      { operation: 'add', type: 'member', values: [g] },
      { operation: 'delete', type: 'member', values: [a] },
    ]);
    expect(
      computeMemberChanges({
        groupDn: g,
        current: [g.toUpperCase()],
        add: [b],
        remove: [],
        placeholder: undefined,
        needsPlaceholder: true,
      }),
    ).toEqual([
      { operation: 'add', type: 'member', values: [b] },
      { operation: 'delete', type: 'member', values: [g.toUpperCase()] },
    ]);
    expect(
      computeMemberChanges({
        groupDn: g,
        current: [a],
        add: [],
        remove: [a],
        placeholder: undefined,
        needsPlaceholder: false,
      }),
    ).toEqual([{ operation: 'delete', type: 'member', values: [a] }]);
  });
});

describe('DN building', () => {
  it('escapes RDN values and parses them back', () => {
    expect(childDn('uid', 'jsmith', 'ou=people,dc=example,dc=org')).toBe('uid=jsmith,ou=people,dc=example,dc=org');
    const dn = childDn('cn', 'a,b+c=d', 'ou=groups,dc=example,dc=org');
    expect(dn).toBe('cn=a\\,b\\+c\\=d,ou=groups,dc=example,dc=org');
    expect(parseRdn(dn)).toEqual({ attribute: 'cn', value: 'a,b+c=d', parent: 'ou=groups,dc=example,dc=org' });
    expect(parseGeneralizedTime('garbage')).toBeUndefined();
  });
});
