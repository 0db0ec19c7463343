import { AndFilter, EqualityFilter } from 'ldapts';
import type { AccountAttributes } from '../../core/plan/directory-snapshot.js';
import { firstValue, hasObjectClass, parseGeneralizedTime } from './ldap-dialect.js';
import type { LdapDialect, LdapEntry, LdapValue, ParsedAccount } from './ldap-dialect.js';

/** userAccountControl flags (MS-ADTS 2.2.16). */
export const UAC = { ACCOUNTDISABLE: 0x2, NORMAL_ACCOUNT: 0x200 } as const;

/** The AD attribute of each managed account attribute. */
export const AD_ATTRIBUTE: Record<keyof AccountAttributes, string> = {
  name: 'displayName',
  surname: 'sn',
  givenName: 'givenName',
  mail: 'mail',
  title: 'title',
  department: 'department',
  employeeId: 'employeeID',
  type: 'employeeType',
};

/**
 * `unicodePwd` as AD requires it: the password in double quotes, encoded UTF-16LE. AD accepts it
 * only over an encrypted connection (LDAPS or StartTLS).
 * @example encodeUnicodePwd('ab') // <Buffer 22 00 61 00 62 00 22 00>
 */
export function encodeUnicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

/**
 * The text form of a binary `objectGUID`: the first three fields are little-endian.
 * @example formatObjectGuid(Buffer.from('00112233445566778899aabbccddeeff', 'hex')) // '33221100-5544-7766-8899-aabbccddeeff'
 */
export function formatObjectGuid(bytes: Buffer): string {
  if (bytes.length !== 16) throw new RangeError(`objectGUID must be 16 bytes, not ${bytes.length}`);
  const hex = (from: number, to: number, reverse: boolean): string => {
    const part = [...bytes.subarray(from, to)];
    return (reverse ? part.reverse() : part).map((b) => b.toString(16).padStart(2, '0')).join('');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
}

/**
 * Milliseconds since the epoch for an AD FILETIME (100-ns intervals since 1601-01-01 UTC), or
 * undefined for 0 / absent ("never").
 * @example parseFileTime('116444736000000000') // 0
 */
export function parseFileTime(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text) || /^0+$/.test(text)) return undefined;
  return Number(BigInt(text) / 10_000n) - 11_644_473_600_000;
}

/** userAccountControl with ACCOUNTDISABLE set or cleared, other flags kept. */
export function computeUserAccountControl(current: number, disabled: boolean): number {
  const base = current === 0 ? UAC.NORMAL_ACCOUNT : current;
  return disabled ? base | UAC.ACCOUNTDISABLE : base & ~UAC.ACCOUNTDISABLE;
}

/**
 * AD returns at most ~1500 values of a large multi-valued attribute per read, as
 * `member;range=0-1499`; the last chunk ends in `*`. Returns the values of this chunk and the
 * attribute to request next, if any.
 * @example parseRangedValues({ dn: 'cn=g', 'member;range=0-1499': [...] }, 'member') // { values, next: 'member;range=1500-*' }
 */
export function parseRangedValues(entry: LdapEntry, attribute: string): { values: string[]; next?: string } {
  const plain = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const ranged = Object.keys(entry).find((k) => k.toLowerCase().startsWith(`${attribute.toLowerCase()};range=`));
  const name = ranged ?? plain;
  if (name === undefined) return { values: [] };
  const raw = entry[name]!;
  const values = (Array.isArray(raw) ? raw : [raw]).map((v) => (typeof v === 'string' ? v : v.toString('utf8')));
  if (ranged === undefined) return { values };
  const m = /;range=(\d+)-(\d+|\*)$/i.exec(ranged);
  if (!m || m[2] === '*') return { values };
  return { values, next: `${attribute};range=${Number(m[2]) + 1}-*` };
}

/**
 * Active Directory: user accounts named `cn=<uid>` with `sAMAccountName`, groups of class `group`
 * (which may be empty), `objectGUID` as the stable key, `pwdLastSet=0` for a temporary password,
 * `userAccountControl` ACCOUNTDISABLE to lock. Implemented and tested at the encoding level only:
 * the test suite has no Active Directory to run against.
 */
export const activeDirectoryDialect: LdapDialect = {
  flavor: 'active-directory',
  accountRdnAttribute: 'cn',
  accountFilter: new AndFilter({
    filters: [
      new EqualityFilter({ attribute: 'objectClass', value: 'user' }),
      new EqualityFilter({ attribute: 'objectCategory', value: 'person' }),
    ],
  }),
  groupFilter: new EqualityFilter({ attribute: 'objectClass', value: 'group' }),
  // Computers are users too (objectCategory computer): not people aac manages.
  isAccount: (entry) => hasObjectClass(entry, 'user') && !hasObjectClass(entry, 'computer'),
  isGroup: (entry) => hasObjectClass(entry, 'group'),
  nameAttribute: 'sAMAccountName',
  accountAttributes: [
    'objectGUID',
    'sAMAccountName',
    'objectClass',
    ...Object.values(AD_ATTRIBUTE),
    'userAccountControl',
    'lockoutTime',
    'pwdLastSet',
    'whenCreated',
  ],
  optionalAccountAttributes: ['displayName', 'givenName', 'mail', 'title', 'department', 'employeeID', 'employeeType'],
  groupAttributes: ['objectGUID', 'sAMAccountName', 'cn', 'objectClass', 'member'],
  membersMayBeAbsent: true,
  checkMemberOf: false,
  binaryAttributes: ['objectGUID'],
  needsPlaceholder: false,

  parseAccount(entry: LdapEntry): ParsedAccount {
    const attributes: Partial<AccountAttributes> = {};
    for (const [name, ad] of Object.entries(AD_ATTRIBUTE) as [keyof AccountAttributes, string][]) {
      const value = firstValue(entry, ad);
      if (value !== undefined) attributes[name] = value;
    }
    const uac = Number(firstValue(entry, 'userAccountControl') ?? UAC.NORMAL_ACCOUNT);
    const guid = entry['objectGUID'];
    const whenCreated = parseGeneralizedTime(firstValue(entry, 'whenCreated'));
    const lockedOutSince = parseFileTime(firstValue(entry, 'lockoutTime'));
    return {
      key: Buffer.isBuffer(guid) ? formatObjectGuid(guid) : '',
      uid: firstValue(entry, 'sAMAccountName') ?? '',
      attributes,
      locked: (uac & UAC.ACCOUNTDISABLE) !== 0,
      // lockoutTime is AD's own lock after failed logons; aac never clears it.
      ...(lockedOutSince !== undefined ? { lockedOut: { since: lockedOutSince } } : {}),
      // pwdLastSet=0: the user must set a password at next logon.
      mustChangePassword: firstValue(entry, 'pwdLastSet') === '0',
      ...(whenCreated === undefined ? {} : { passwordSetAt: whenCreated }),
      extra: { userAccountControl: String(uac) },
    };
  },

  parseGroup(entry: LdapEntry) {
    const guid = entry['objectGUID'];
    return {
      key: Buffer.isBuffer(guid) ? formatObjectGuid(guid) : '',
      name: firstValue(entry, 'sAMAccountName') ?? firstValue(entry, 'cn') ?? '',
    };
  },

  newAccount(uid, attributes, password) {
    const entry: Record<string, LdapValue[]> = {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      cn: [uid],
      sAMAccountName: [uid],
      userPrincipalName: [`${uid}@${attributes.mail.split('@')[1] ?? 'invalid'}`],
    };
    for (const [name, ad] of Object.entries(AD_ATTRIBUTE) as [keyof AccountAttributes, string][]) {
      const value = attributes[name];
      if (value !== undefined) entry[ad] = [value];
    }
    entry['unicodePwd'] = [encodeUnicodePwd(password)];
    entry['userAccountControl'] = [String(UAC.NORMAL_ACCOUNT)];
    entry['pwdLastSet'] = ['0'];
    return entry;
  },

  newGroup(name, members) {
    // groupType -2147483646: a global security group.
    return {
      objectClass: ['top', 'group'],
      cn: [name],
      sAMAccountName: [name],
      groupType: ['-2147483646'],
      ...(members.length > 0 ? { member: members } : {}),
    };
  },

  attributeChanges(changes) {
    return changes.map((c) => ({
      operation: 'replace' as const,
      type: AD_ATTRIBUTE[c.attribute],
      values: c.to === undefined ? [] : [c.to],
    }));
  },

  renameChanges(newUid) {
    // The RDN (cn) moves with modrdn; the logon name does not.
    return [{ operation: 'replace', type: 'sAMAccountName', values: [newUid] }];
  },

  renameGroupChanges(newName) {
    return [{ operation: 'replace', type: 'sAMAccountName', values: [newName] }];
  },

  lockChanges(account) {
    const current = Number(account?.extra?.['userAccountControl'] ?? UAC.NORMAL_ACCOUNT);
    return [
      { operation: 'replace', type: 'userAccountControl', values: [String(computeUserAccountControl(current, true))] },
    ];
  },

  unlockChanges(account) {
    const current = Number(account?.extra?.['userAccountControl'] ?? UAC.NORMAL_ACCOUNT);
    return [
      { operation: 'replace', type: 'userAccountControl', values: [String(computeUserAccountControl(current, false))] },
    ];
  },
};
