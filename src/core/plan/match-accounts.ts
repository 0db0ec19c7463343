import type { DesiredAccount, DesiredState } from './compute-desired-state.js';
import { foldDn, foldName } from './directory-names.js';
import type { DirectorySnapshot, ForeignEntry, ObservedAccount } from './directory-snapshot.js';
import type { Conflict, ConflictCode } from './plan-findings.js';

/** People paired with their entries, and what stops. */
export interface AccountMatch {
  /** Desired uid -> the account that is theirs. */
  matched: Map<string, ObservedAccount>;
  /** Desired uids in a conflict: no action at all for them. */
  blocked: Set<string>;
  /** Keys of accounts in a conflict: never locked, their memberships kept. */
  frozenKeys: Set<string>;
  /** Folded DNs of every entry in a conflict (foreign ones too): their memberships are kept. */
  frozenDns: Set<string>;
  conflicts: Conflict[];
  /** Renames in an order that frees a uid before it is taken: desired uids. */
  renameOrder: string[];
}

type Candidate = { kind: 'account'; account: ObservedAccount } | { kind: 'foreign'; entry: ForeignEntry };

/**
 * Pairs people with accounts on one identity, as the directory compares it: first the employeeId
 * (`employeeNumber`), then the uid (RDN or naming attribute, ignoring case), then, for an entry
 * whose uid no file declares any more, the email. Two entries claiming one person, an entry of
 * another object class holding the uid, a uid held by another person's entry, or an entry listed
 * as unmanaged are conflicts: that person's actions stop and the entries are left alone.
 */
export function matchAccounts(desired: DesiredState, observed: DirectorySnapshot): AccountMatch {
  const m: AccountMatch = {
    matched: new Map(),
    blocked: new Set(),
    frozenKeys: new Set(),
    frozenDns: new Set(),
    conflicts: [],
    renameOrder: [],
  };
  const claimedBy = new Map<string, string>();
  const wants = [...desired.accounts.values()];
  const declared = new Set(wants.map((w) => w.uid.toLowerCase()));
  const byEmployeeId = group(observed.accounts, (a) => fold(a.attributes.employeeId));
  const byName = indexNames(observed);
  const byMail = group(observed.accounts, (a) => a.attributes.mail?.toLowerCase());

  const conflict = (want: DesiredAccount, code: ConflictCode, entries: readonly Candidate[]): void => {
    m.blocked.add(want.uid);
    const unclaimed = m.matched.get(want.uid);
    if (unclaimed) claimedBy.delete(unclaimed.key);
    m.matched.delete(want.uid);
    for (const c of entries) {
      m.frozenDns.add(foldDn(dnOf(c)));
      if (c.kind === 'account') m.frozenKeys.add(c.account.key);
    }
    m.conflicts.push({ subject: { kind: 'person', uid: want.uid }, code, dns: entries.map(dnOf), cause: want.cause });
  };
  const claim = (want: DesiredAccount, account: ObservedAccount): void => {
    m.matched.set(want.uid, account);
    claimedBy.set(account.key, want.uid);
  };

  for (const want of wants) {
    const id = fold(want.attributes.employeeId);
    if (id === undefined) continue;
    const found = byEmployeeId.get(id) ?? [];
    if (found.length > 1) conflict(want, 'duplicate-employee-id', found.map(asAccount));
    else if (found[0]?.unmanaged) conflict(want, 'unmanaged', [asAccount(found[0])]);
    else if (found[0]) claim(want, found[0]);
  }
  for (const want of wants) {
    if (m.matched.has(want.uid) || m.blocked.has(want.uid)) continue;
    // An account another person claimed by employeeId is renamed away: its uid becomes free.
    const found = (byName.get(want.uid.toLowerCase()) ?? []).filter(
      (c) => c.kind === 'foreign' || !claimedBy.has(c.account.key),
    );
    const first = found[0];
    if (!first) continue;
    if (found.length > 1) conflict(want, 'duplicate-name', found);
    else if (first.kind === 'foreign') conflict(want, first.entry.unmanaged ? 'unmanaged' : 'not-an-account', found);
    else if (first.account.unmanaged) conflict(want, 'unmanaged', found);
    else if (differentPerson(want, first.account)) conflict(want, 'different-person', found);
    else claim(want, first.account);
  }
  for (const want of wants) {
    if (m.matched.has(want.uid) || m.blocked.has(want.uid)) continue;
    const found = (byMail.get(want.attributes.mail.toLowerCase()) ?? []).filter(
      (a) =>
        !claimedBy.has(a.key) &&
        !m.frozenKeys.has(a.key) &&
        !a.unmanaged &&
        !declared.has(a.uid.toLowerCase()) &&
        !differentPerson(want, a),
    );
    if (found.length > 1) conflict(want, 'duplicate-email', found.map(asAccount));
    else if (found[0]) claim(want, found[0]);
  }
  orderRenames(m, wants, byName, claimedBy, conflict);
  return m;
}

/**
 * A rename whose new uid another entry holds must wait for that entry to be renamed away, or stop:
 * the held name is a conflict unless its holder is itself being renamed (then renames run holder
 * first); renames that go round in a circle stop too.
 */
function orderRenames(
  m: AccountMatch,
  wants: readonly DesiredAccount[],
  byName: Map<string, Candidate[]>,
  claimedBy: Map<string, string>,
  conflict: (want: DesiredAccount, code: ConflictCode, entries: readonly Candidate[]) => void,
): void {
  const waitsFor = new Map<string, string>();
  for (const want of wants) {
    const account = m.matched.get(want.uid);
    if (!account || (account.rdnUid ?? account.uid).toLowerCase() === want.uid.toLowerCase()) continue;
    const holders = (byName.get(want.uid.toLowerCase()) ?? []).filter(
      (c) => !(c.kind === 'account' && c.account.key === account.key),
    );
    const renamedAway = holders.filter(
      (c) => c.kind === 'account' && claimedBy.has(c.account.key) && claimedBy.get(c.account.key) !== want.uid,
    );
    if (holders.length > renamedAway.length) conflict(want, 'name-taken', [asAccount(account), ...holders]);
    else if (renamedAway[0]?.kind === 'account') waitsFor.set(want.uid, claimedBy.get(renamedAway[0].account.key)!);
  }
  const byUid = new Map(wants.map((w) => [w.uid, w]));
  const done = new Set<string>();
  const visit = (uid: string, path: string[]): void => {
    if (done.has(uid) || m.blocked.has(uid)) return;
    if (path.includes(uid)) {
      for (const member of path.slice(path.indexOf(uid)))
        conflict(byUid.get(member)!, 'rename-cycle', [asAccount(m.matched.get(member)!)]);
      return;
    }
    const next = waitsFor.get(uid);
    if (next !== undefined) visit(next, [...path, uid]);
    if (m.blocked.has(uid)) return;
    done.add(uid);
    m.renameOrder.push(uid);
  };
  for (const want of wants) if (m.matched.has(want.uid)) visit(want.uid, []);
}

/** The account carries an employeeId other than the person's: it is another human's entry. */
function differentPerson(want: DesiredAccount, account: ObservedAccount): boolean {
  const mine = fold(want.attributes.employeeId);
  const theirs = fold(account.attributes.employeeId);
  return mine !== undefined && theirs !== undefined && mine !== theirs;
}

/** Accounts and foreign entries by every name the directory keeps unique: RDN value and naming attribute. */
function indexNames(observed: DirectorySnapshot): Map<string, Candidate[]> {
  const index = new Map<string, Candidate[]>();
  const put = (name: string | undefined, candidate: Candidate): void => {
    if (name === undefined || name === '') return;
    const key = foldName(name);
    const list = index.get(key) ?? [];
    if (!list.includes(candidate)) list.push(candidate);
    index.set(key, list);
  };
  for (const account of observed.accounts) {
    const candidate: Candidate = { kind: 'account', account };
    put(account.uid, candidate);
    put(account.rdnUid, candidate);
  }
  for (const entry of observed.foreign ?? []) {
    if (entry.ou !== 'people') continue;
    const candidate: Candidate = { kind: 'foreign', entry };
    for (const name of entry.names) put(name, candidate);
    if (entry.rdn.attribute === 'uid' || entry.rdn.attribute === 'cn') put(entry.rdn.value, candidate);
  }
  return index;
}

function group<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined || key === '') continue;
    const list = index.get(key) ?? [];
    list.push(item);
    index.set(key, list);
  }
  return index;
}

function fold(value: string | undefined): string | undefined {
  return value === undefined ? undefined : foldName(value);
}

function asAccount(account: ObservedAccount): Candidate {
  return { kind: 'account', account };
}

function dnOf(candidate: Candidate): string {
  return candidate.kind === 'account' ? candidate.account.dn : candidate.entry.dn;
}
