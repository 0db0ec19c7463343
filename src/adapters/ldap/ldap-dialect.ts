import type { Filter } from 'ldapts';
import type { AccountAttributes } from '../../core/plan/directory-snapshot.js';
import type { AttributeChange } from '../../core/plan/action.js';

/** An attribute value as ldapts sends it: text, or bytes for binary attributes (AD `unicodePwd`). */
export type LdapValue = string | Buffer;

/** One modification of a modify request, as plain data (turned into an ldapts `Change` by the directory). */
export interface LdapModification {
  operation: 'add' | 'delete' | 'replace';
  type: string;
  values: LdapValue[];
}

/** A search result entry as ldapts returns it: a string for one value, an array for several. */
export type LdapEntry = Record<string, string | string[] | Buffer | Buffer[]> & { dn: string };

/** What the directory learned about an account, beyond the snapshot (e.g. AD's userAccountControl). */
export interface ParsedAccount {
  key: string;
  uid: string;
  attributes: Partial<AccountAttributes>;
  /** Administratively locked (permanent until lifted). */
  locked: boolean;
  /** Locked by the directory after failed binds; `since` in ms. */
  lockedOut?: { since?: number };
  mustChangePassword: boolean;
  passwordSetAt?: number;
  /** Flavour-specific state the writes need later (AD: the current userAccountControl). */
  extra?: Record<string, string>;
}

/**
 * How one kind of server names and encodes what aac manages. Pure: entries in, plain data out,
 * so each flavour is tested without a server (the OpenLDAP one also against a real slapd).
 */
export interface LdapDialect {
  flavor: 'openldap' | 'active-directory';
  /** The attribute that names an account in its RDN (`uid`; AD `cn`). */
  accountRdnAttribute: string;
  /** Matches the managed accounts (used to check that attributes the read lacks are really absent). */
  accountFilter: Filter;
  groupFilter: Filter;
  /** Whether an entry under the people OU is an account aac manages (else it is a foreign entry). */
  isAccount(entry: LdapEntry): boolean;
  /** Whether an entry under the groups OU is a group aac manages. */
  isGroup(entry: LdapEntry): boolean;
  /** The attribute holding an account's login name, unique in the directory (`uid`; AD `sAMAccountName`). */
  nameAttribute: string;
  /** Read for every account: the stable key first. */
  accountAttributes: string[];
  /**
   * Account attributes that may legitimately be absent and that the plan depends on: when the read
   * lacks one, a filter search checks it is really absent rather than hidden from the bind.
   */
  optionalAccountAttributes: string[];
  groupAttributes: string[];
  /** The group's members attribute may be absent (AD: an empty group); groupOfNames always has one. */
  membersMayBeAbsent: boolean;
  /** OpenLDAP: `memberOf` is kept by an overlay, so aac checks it agrees with the groups it read. */
  checkMemberOf: boolean;
  /** Attributes ldapts must return as Buffers (AD `objectGUID`). */
  binaryAttributes: string[];
  /** Whether an empty group needs a placeholder member (groupOfNames: yes; AD group: no). */
  needsPlaceholder: boolean;
  parseAccount(entry: LdapEntry): ParsedAccount;
  parseGroup(entry: LdapEntry): { key: string; name: string };
  /** The attributes of a new account entry, temporary password included, flagged as must-change. */
  newAccount(uid: string, attributes: AccountAttributes, password: string): Record<string, LdapValue[]>;
  newGroup(name: string, members: string[]): Record<string, LdapValue[]>;
  attributeChanges(changes: readonly AttributeChange[]): LdapModification[];
  /** Extra modifications after a modrdn (AD: sAMAccountName does not follow the RDN). */
  renameChanges(newUid: string): LdapModification[];
  /** Extra modifications after a group's modrdn (AD: sAMAccountName). */
  renameGroupChanges(newName: string): LdapModification[];
  lockChanges(account: ParsedAccount | undefined): LdapModification[];
  unlockChanges(account: ParsedAccount | undefined): LdapModification[];
}

/** The first value of an attribute as text, normalising ldapts' string-or-array. */
export function firstValue(entry: LdapEntry, name: string): string | undefined {
  const value = entry[name] ?? entry[Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase()) ?? ''];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}

/** Whether the entry's objectClass values include `name` (ignoring case). */
export function hasObjectClass(entry: LdapEntry, name: string): boolean {
  const wanted = name.toLowerCase();
  return allValues(entry, 'objectClass').some((c) => c.toLowerCase() === wanted);
}

/** Every value of an attribute as text. */
export function allValues(entry: LdapEntry, name: string): string[] {
  const value = entry[name] ?? entry[Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase()) ?? ''];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === 'string' ? v : v.toString('utf8')));
}

/** Milliseconds for an LDAP GeneralizedTime such as `20261122005825Z` or `20261122005825.0Z`. */
export function parseGeneralizedTime(text: string | undefined): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?Z$/.exec(text ?? '');
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
}
