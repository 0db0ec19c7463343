import { AndFilter, FilterParser, NotFilter, PresenceFilter } from 'ldapts';
import type { Filter } from 'ldapts';
import type { DirectoryLayout } from '../../core/plan/directory-layout.js';
import type {
  DirectorySnapshot,
  ForeignEntry,
  MemberRef,
  ObservedAccount,
  ObservedGroup,
} from '../../core/plan/directory-snapshot.js';
import { ConfigError, DirectoryError } from '../../errors.js';
import { parseRdn } from './child-dn.js';
import { parseRangedValues } from './active-directory-dialect.js';
import { allValues } from './ldap-dialect.js';
import type { LdapDialect, LdapEntry, ParsedAccount } from './ldap-dialect.js';
import { describeError } from './describe-error.js';
import { normalizeDn } from './normalize-dn.js';

/** Member values checked one by one when they point into the people OU at nothing read; more is a short read. */
const MAX_UNRESOLVED_CHECKS = 100;
/** Entries named in one error message; the count says how many more. */
const MAX_NAMED = 10;

/** What reading needs from the connection: a complete paged search, and a base search of one entry. */
export interface LdapReader {
  /** Every entry under `base` matching `filter` (paged); throws `DirectoryError` on anything partial. */
  search(base: string, filter: Filter, attributes: string[]): Promise<LdapEntry[]>;
  /** One entry, or: `missing` (noSuchObject), `hidden` (insufficientAccess: it exists but may not be read). */
  lookup(dn: string, attributes: string[]): Promise<LdapEntry | 'missing' | 'hidden'>;
}

export interface ReadResult {
  snapshot: DirectorySnapshot;
  /** Each account as the dialect parsed it, by key (AD's userAccountControl is needed by later writes). */
  parsed: Map<string, ParsedAccount>;
}

/**
 * Reads everything under the managed OUs and checks the read is complete and visible before
 * anything is computed from it: every entry's key and naming attribute came back, a group's
 * `member` values came back, each optional attribute an account lacks is really absent (not
 * hidden by an ACL), every member value pointing into the people OU resolves to an entry, and
 * (OpenLDAP) `memberOf` agrees with the groups. Throws `DirectoryError` (`short-read`,
 * `not-visible`, `dangling-member`) or `ConfigError` (memberOf not maintained).
 */
export async function readLdapSnapshot(
  reader: LdapReader,
  layout: DirectoryLayout,
  dialect: LdapDialect,
): Promise<ReadResult> {
  const hidden = new HiddenList();
  const peopleEntries = await reader.search(layout.peopleDn, ANY, dialect.accountAttributes);
  const accounts: ObservedAccount[] = [];
  const foreign: ForeignEntry[] = [];
  const parsed = new Map<string, ParsedAccount>();
  const keyByDn = new Map<string, string>();
  const memberOfByKey = new Map<string, Set<string>>();
  const peopleSelf = normalizeDn(layout.peopleDn);
  for (const entry of peopleEntries) {
    if (normalizeDn(entry.dn) === peopleSelf) continue;
    if (!dialect.isAccount(entry)) {
      foreign.push(foreignEntry(entry, 'people', dialect));
      continue;
    }
    const account = parseAccount(entry, dialect, hidden);
    if (!account) continue;
    accounts.push(account.observed);
    parsed.set(account.observed.key, account.parsed);
    keyByDn.set(normalizeDn(entry.dn), account.observed.key);
    memberOfByKey.set(account.observed.key, new Set(allValues(entry, 'memberOf').map(normalizeDn)));
  }
  await checkAbsentAttributes(reader, layout, dialect, peopleEntries, hidden);

  const groupEntries = await reader.search(layout.groupsDn, ANY, dialect.groupAttributes);
  const groups: ObservedGroup[] = [];
  const unresolved = new Map<string, string>();
  const foreignDns = new Set(foreign.map((f) => normalizeDn(f.dn)));
  const peopleSuffix = `,${peopleSelf}`;
  const groupsSelf = normalizeDn(layout.groupsDn);
  for (const entry of groupEntries) {
    if (normalizeDn(entry.dn) === groupsSelf) continue;
    if (!dialect.isGroup(entry)) {
      foreign.push(foreignEntry(entry, 'groups', dialect));
      continue;
    }
    const { key, name } = dialect.parseGroup(entry);
    if (key === '')
      throw new DirectoryError('short-read', `${entry.dn} came back without its ${dialect.groupAttributes[0]}`);
    const values = await readMembers(reader, entry);
    if (values.length === 0 && !dialect.membersMayBeAbsent) hidden.add(entry.dn, 'member');
    const self = normalizeDn(entry.dn);
    const members: MemberRef[] = [];
    let hasPlaceholder = false;
    for (const dn of values) {
      const normal = normalizeDn(dn);
      if (normal === self) {
        hasPlaceholder = true;
        continue;
      }
      const memberKey = keyByDn.get(normal);
      members.push(memberKey === undefined ? { dn } : { key: memberKey, dn });
      if (memberKey === undefined && normal.endsWith(peopleSuffix) && !foreignDns.has(normal))
        unresolved.set(normal, `${dn} (member of ${entry.dn})`);
    }
    groups.push({ key, dn: entry.dn, name, members, hasPlaceholder });
  }
  if (dialect.membersMayBeAbsent) await checkAbsentMembers(reader, layout, dialect, groups, hidden);
  hidden.throwIfAny();
  await checkUnresolved(reader, layout, unresolved);
  if (dialect.checkMemberOf) checkMemberOf(groups, memberOfByKey);
  await markUnmanaged(reader, layout, [...accounts, ...groups, ...foreign]);
  return { snapshot: { accounts, groups, ...(foreign.length > 0 ? { foreign } : {}) }, parsed };
}

/**
 * Flags what `reconcile.unmanaged` names: entries at or below a listed DN, and entries a listed
 * filter matches under the managed OUs (one search per filter and OU, DNs only).
 */
async function markUnmanaged(
  reader: LdapReader,
  layout: DirectoryLayout,
  entries: Array<{ dn: string; unmanaged?: boolean }>,
): Promise<void> {
  const { dns, filters } = layout.unmanaged;
  if (dns.length === 0 && filters.length === 0) return;
  const matched = new Set<string>();
  for (const text of filters) {
    let filter: Filter;
    try {
      filter = FilterParser.parseString(text.trim());
    } catch (error) {
      throw new ConfigError(`reconcile.unmanaged: ${text} is not an LDAP filter (${describeError(error)})`, {
        cause: error,
      });
    }
    for (const base of [layout.peopleDn, layout.groupsDn])
      for (const entry of await reader.search(base, filter, ['1.1'])) matched.add(normalizeDn(entry.dn));
  }
  const subtrees = dns.map(normalizeDn);
  for (const entry of entries) {
    const dn = normalizeDn(entry.dn);
    if (matched.has(dn) || subtrees.some((top) => dn === top || dn.endsWith(`,${top}`))) entry.unmanaged = true;
  }
}

const ANY: Filter = new PresenceFilter({ attribute: 'objectClass' });

function parseAccount(
  entry: LdapEntry,
  dialect: LdapDialect,
  hidden: HiddenList,
): { observed: ObservedAccount; parsed: ParsedAccount } | undefined {
  const parsed = dialect.parseAccount(entry);
  if (parsed.key === '')
    throw new DirectoryError('short-read', `${entry.dn} came back without its ${dialect.accountAttributes[0]}`);
  const rdn = parseRdn(entry.dn);
  if (parsed.uid === '') {
    hidden.add(entry.dn, dialect.nameAttribute);
    return undefined;
  }
  const observed: ObservedAccount = {
    key: parsed.key,
    dn: entry.dn,
    uid: parsed.uid,
    attributes: parsed.attributes,
    locked: parsed.locked,
    mustChangePassword: parsed.mustChangePassword,
  };
  if (rdn && rdn.attribute === dialect.accountRdnAttribute.toLowerCase()) observed.rdnUid = rdn.value;
  if (parsed.lockedOut) observed.lockedOut = parsed.lockedOut;
  if (parsed.passwordSetAt !== undefined) observed.passwordSetAt = parsed.passwordSetAt;
  return { observed, parsed };
}

function foreignEntry(entry: LdapEntry, ou: ForeignEntry['ou'], dialect: LdapDialect): ForeignEntry {
  const rdn = parseRdn(entry.dn);
  return {
    dn: entry.dn,
    ou,
    rdn: rdn ? { attribute: rdn.attribute, value: rdn.value } : { attribute: '', value: '' },
    names: allValues(entry, ou === 'people' ? dialect.nameAttribute : 'cn'),
    objectClasses: allValues(entry, 'objectClass'),
  };
}

/**
 * An attribute the read lacks is either absent or hidden by an ACL; OpenLDAP returns neither an
 * error nor a hint. A filter tells them apart: `(!(attr=*))` is true for an entry that really lacks
 * it and undefined (so not returned) when the bind may not search it. One search per attribute.
 */
async function checkAbsentAttributes(
  reader: LdapReader,
  layout: DirectoryLayout,
  dialect: LdapDialect,
  entries: readonly LdapEntry[],
  hidden: HiddenList,
): Promise<void> {
  const accounts = entries.filter((e) => dialect.isAccount(e));
  for (const attribute of dialect.optionalAccountAttributes) {
    const lacking = accounts.filter((e) => allValues(e, attribute).length === 0);
    if (lacking.length === 0) continue;
    const filter = new AndFilter({
      filters: [dialect.accountFilter, new NotFilter({ filter: new PresenceFilter({ attribute }) })],
    });
    const absent = new Set((await reader.search(layout.peopleDn, filter, ['1.1'])).map((e) => normalizeDn(e.dn)));
    for (const entry of lacking) if (!absent.has(normalizeDn(entry.dn))) hidden.add(entry.dn, attribute);
  }
}

/** AD groups may be empty: the same filter check tells an empty group from hidden members. */
async function checkAbsentMembers(
  reader: LdapReader,
  layout: DirectoryLayout,
  dialect: LdapDialect,
  groups: readonly ObservedGroup[],
  hidden: HiddenList,
): Promise<void> {
  const empty = groups.filter((g) => g.members.length === 0 && !g.hasPlaceholder);
  if (empty.length === 0) return;
  const filter = new AndFilter({
    filters: [dialect.groupFilter, new NotFilter({ filter: new PresenceFilter({ attribute: 'member' }) })],
  });
  const absent = new Set((await reader.search(layout.groupsDn, filter, ['1.1'])).map((e) => normalizeDn(e.dn)));
  for (const group of empty) if (!absent.has(normalizeDn(group.dn))) hidden.add(group.dn, 'member');
}

/** AD returns big member lists in ranges; read them all. OpenLDAP returns them whole. */
async function readMembers(reader: LdapReader, entry: LdapEntry): Promise<string[]> {
  let { values, next } = parseRangedValues(entry, 'member');
  while (next !== undefined) {
    const chunk = await reader.lookup(entry.dn, [next]);
    const parsed = typeof chunk === 'string' ? { values: [] } : parseRangedValues(chunk, 'member');
    if (parsed.values.length === 0)
      throw new DirectoryError('short-read', `${entry.dn}: a range of member values came back empty`);
    values = values.concat(parsed.values);
    next = parsed.next;
  }
  return values;
}

/**
 * Member values that point into the people OU at no entry the read returned: looked up one by one.
 * An entry that comes back means the read missed it (short read); one the server says exists but
 * may not be read is hidden from the bind; one that does not exist is a dangling value (or an entry
 * hidden without `disclose`, which looks the same): either way nothing is computed from the read.
 */
async function checkUnresolved(
  reader: LdapReader,
  layout: DirectoryLayout,
  unresolved: Map<string, string>,
): Promise<void> {
  if (unresolved.size > MAX_UNRESOLVED_CHECKS)
    throw new DirectoryError(
      'short-read',
      `${unresolved.size} group members point into ${layout.peopleDn} at entries the read did not return, e.g. ${[...unresolved.values()].slice(0, 3).join('; ')}: check the bind's read access to ${layout.peopleDn}`,
    );
  const dangling: string[] = [];
  const hidden = new HiddenList();
  for (const [dn, where] of unresolved) {
    const found = await reader.lookup(dn, ['1.1']);
    if (found === 'missing') dangling.push(where);
    else if (found === 'hidden') hidden.add(dn, 'entry');
    else
      throw new DirectoryError(
        'short-read',
        `${found.dn} exists but the read of ${layout.peopleDn} did not return it: check the bind's search access to it`,
      );
  }
  hidden.throwIfAny();
  if (dangling.length > 0)
    throw new DirectoryError(
      'dangling-member',
      `${dangling.length} group member value${dangling.length === 1 ? '' : 's'} point${dangling.length === 1 ? 's' : ''} into ${layout.peopleDn} at no entry: ${named(dangling)}. Remove each with ldapmodify ("delete: member" / "member: <DN>"); if the entry does exist, the bind may not see it at all: give it read access`,
    );
}

/** memberOf (kept by the memberof overlay) must list every group the read found an account in. */
function checkMemberOf(groups: readonly ObservedGroup[], memberOfByKey: Map<string, Set<string>>): void {
  const missing: string[] = [];
  let pairs = 0;
  for (const group of groups) {
    const dn = normalizeDn(group.dn);
    for (const member of group.members) {
      if (member.key === undefined) continue;
      pairs++;
      if (!memberOfByKey.get(member.key)?.has(dn)) missing.push(`${member.dn} in ${group.dn}`);
    }
  }
  if (missing.length === 0) return;
  const none = missing.length === pairs;
  throw new ConfigError(
    none
      ? `memberOf is not maintained: no account lists the groups it is a member of (${named(missing)}); configure the memberof overlay (with memberof-refint TRUE) on the database, and give the bind read access to memberOf`
      : `memberOf disagrees with the groups for ${named(missing)}: is the memberof overlay configured on the database, and memberOf readable by the bind?`,
  );
}

/** Entries and attributes the bind may not read, collected so one error names them all. */
class HiddenList {
  private readonly byAttribute = new Map<string, string[]>();

  add(dn: string, attribute: string): void {
    const list = this.byAttribute.get(attribute) ?? [];
    list.push(dn);
    this.byAttribute.set(attribute, list);
  }

  throwIfAny(): void {
    if (this.byAttribute.size === 0) return;
    const parts = [...this.byAttribute].map(([attribute, dns]) =>
      attribute === 'entry' ? `the entries ${named(dns)}` : `${attribute} of ${named(dns)}`,
    );
    throw new DirectoryError(
      'not-visible',
      `the bind may not read ${parts.join('; ')}: the read is incomplete, so nothing is planned from it. Give the bind read (and search) access to these entries and attributes under the managed OUs`,
    );
  }
}

function named(items: readonly string[]): string {
  const shown = items.slice(0, MAX_NAMED).join(', ');
  return items.length > MAX_NAMED ? `${shown} and ${items.length - MAX_NAMED} more` : shown;
}
