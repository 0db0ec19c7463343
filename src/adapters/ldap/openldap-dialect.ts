import { EqualityFilter } from 'ldapts';
import type { AccountAttributes } from '../../core/plan/directory-snapshot.js';
import { allValues, firstValue, parseGeneralizedTime } from './ldap-dialect.js';
import type { LdapDialect, LdapEntry, LdapValue } from './ldap-dialect.js';

/** The LDAP attribute of each managed account attribute (inetOrgPerson). */
export const OPENLDAP_ATTRIBUTE: Record<keyof AccountAttributes, string> = {
  name: 'cn',
  surname: 'sn',
  givenName: 'givenName',
  mail: 'mail',
  title: 'title',
  department: 'departmentNumber',
  employeeId: 'employeeNumber',
  type: 'employeeType',
};

/** ppolicy: a lock time of 0001-01-01 means locked until an administrator unlocks (needs pwdLockout). */
export const PERMANENT_LOCK = '000001010000Z';

/**
 * OpenLDAP with the ppolicy overlay: inetOrgPerson accounts named `uid=...`, groupOfNames groups,
 * `entryUUID` as the stable key, `pwdReset: TRUE` for a temporary password, `pwdAccountLockedTime` to lock.
 */
export const openldapDialect: LdapDialect = {
  flavor: 'openldap',
  accountRdnAttribute: 'uid',
  accountFilter: new EqualityFilter({ attribute: 'objectClass', value: 'inetOrgPerson' }),
  groupFilter: new EqualityFilter({ attribute: 'objectClass', value: 'groupOfNames' }),
  accountAttributes: [
    'entryUUID',
    'uid',
    ...Object.values(OPENLDAP_ATTRIBUTE),
    'pwdAccountLockedTime',
    'pwdReset',
    'pwdChangedTime',
    'createTimestamp',
  ],
  groupAttributes: ['entryUUID', 'cn', 'member'],
  binaryAttributes: [],
  needsPlaceholder: true,

  parseAccount(entry: LdapEntry) {
    const attributes: Partial<AccountAttributes> = {};
    for (const [name, ldap] of Object.entries(OPENLDAP_ATTRIBUTE) as [keyof AccountAttributes, string][]) {
      const value = firstValue(entry, ldap);
      if (value !== undefined) attributes[name] = value;
    }
    const passwordSetAt = parseGeneralizedTime(
      firstValue(entry, 'pwdChangedTime') ?? firstValue(entry, 'createTimestamp'),
    );
    return {
      key: firstValue(entry, 'entryUUID') ?? '',
      uid: firstValue(entry, 'uid') ?? '',
      attributes,
      locked: firstValue(entry, 'pwdAccountLockedTime') !== undefined,
      mustChangePassword: firstValue(entry, 'pwdReset')?.toUpperCase() === 'TRUE',
      ...(passwordSetAt === undefined ? {} : { passwordSetAt }),
    };
  },

  parseGroup(entry: LdapEntry) {
    return {
      key: firstValue(entry, 'entryUUID') ?? '',
      name: firstValue(entry, 'cn') ?? allValues(entry, 'cn')[0] ?? '',
    };
  },

  newAccount(uid, attributes, password) {
    const entry: Record<string, LdapValue[]> = { objectClass: ['inetOrgPerson'], uid: [uid] };
    for (const [name, ldap] of Object.entries(OPENLDAP_ATTRIBUTE) as [keyof AccountAttributes, string][]) {
      const value = attributes[name];
      if (value !== undefined) entry[ldap] = [value];
    }
    entry['userPassword'] = [password];
    // Must be changed at first login: with pwdMustChange the server refuses everything but a password change.
    entry['pwdReset'] = ['TRUE'];
    return entry;
  },

  newGroup(name, members) {
    return { objectClass: ['groupOfNames'], cn: [name], member: members };
  },

  attributeChanges(changes) {
    return changes.map((c) => ({
      operation: 'replace' as const,
      type: OPENLDAP_ATTRIBUTE[c.attribute],
      values: c.to === undefined ? [] : [c.to],
    }));
  },

  renameChanges() {
    return [];
  },

  lockChanges() {
    return [{ operation: 'replace', type: 'pwdAccountLockedTime', values: [PERMANENT_LOCK] }];
  },

  unlockChanges() {
    return [{ operation: 'delete', type: 'pwdAccountLockedTime', values: [] }];
  },
};
