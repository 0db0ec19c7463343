import { EqualityFilter } from 'ldapts';
import type { AccountAttributes } from '../../core/plan/directory-snapshot.js';
import { allValues, firstValue, hasObjectClass, parseGeneralizedTime } from './ldap-dialect.js';
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
  isAccount: (entry) => hasObjectClass(entry, 'inetOrgPerson'),
  isGroup: (entry) => hasObjectClass(entry, 'groupOfNames'),
  nameAttribute: 'uid',
  accountAttributes: [
    'entryUUID',
    'uid',
    'objectClass',
    ...Object.values(OPENLDAP_ATTRIBUTE),
    'pwdAccountLockedTime',
    'pwdReset',
    'pwdChangedTime',
    'createTimestamp',
    'memberOf',
  ],
  optionalAccountAttributes: [
    'givenName',
    'mail',
    'title',
    'departmentNumber',
    'employeeNumber',
    'employeeType',
    'pwdAccountLockedTime',
    'pwdReset',
    'pwdChangedTime',
  ],
  groupAttributes: ['entryUUID', 'cn', 'objectClass', 'member'],
  membersMayBeAbsent: false,
  checkMemberOf: true,
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
    // 000001010000Z is the permanent, administrative lock; any other time is ppolicy's own
    // lockout after failed binds, which only a person who looked into it should lift.
    const lockTime = firstValue(entry, 'pwdAccountLockedTime');
    const since = parseGeneralizedTime(lockTime);
    return {
      key: firstValue(entry, 'entryUUID') ?? '',
      uid: firstValue(entry, 'uid') ?? '',
      attributes,
      locked: lockTime === PERMANENT_LOCK,
      ...(lockTime !== undefined && lockTime !== PERMANENT_LOCK
        ? { lockedOut: since === undefined ? {} : { since } }
        : {}),
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

  renameGroupChanges() {
    return [];
  },

  lockChanges() {
    return [{ operation: 'replace', type: 'pwdAccountLockedTime', values: [PERMANENT_LOCK] }];
  },

  unlockChanges() {
    // Only the permanent value: a lockout ppolicy set since the plan was made stays (the delete
    // then fails with noSuchAttribute, which the directory reports as nothing to do).
    return [{ operation: 'delete', type: 'pwdAccountLockedTime', values: [PERMANENT_LOCK] }];
  },
};
