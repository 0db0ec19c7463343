import {
  AlreadyExistsError,
  EqualityFilter,
  NoSuchAttributeError,
  NoSuchObjectError,
  ObjectClassViolationError,
  TypeOrValueExistsError,
  UnwillingToPerformError,
} from 'ldapts';
import type { Client } from 'ldapts';
import { assertNever } from '../../core/plan/action.js';
import type { Action, MemberAddition } from '../../core/plan/action.js';
import type { WriteContext } from '../../core/plan/directory.js';
import type { DirectoryLayout } from '../../core/plan/directory-layout.js';
import { foldName } from '../../core/plan/directory-names.js';
import { DirectoryError } from '../../errors.js';
import { parseRangedValues } from './active-directory-dialect.js';
import { childDn, parseRdn } from './child-dn.js';
import { allValues } from './ldap-dialect.js';
import type { LdapDialect, LdapEntry, LdapModification, ParsedAccount } from './ldap-dialect.js';
import { computeMemberChanges } from './compute-member-changes.js';
import { normalizeDn } from './normalize-dn.js';
import { toAttributes, toChanges } from './to-ldapts.js';

/** What a write needs from the directory object: the bound client, names, and what the read learnt. */
export interface WriteTarget {
  client(): Client;
  dialect: LdapDialect;
  layout: DirectoryLayout;
  lookup(dn: string, attributes: string[]): Promise<LdapEntry | 'missing' | 'hidden'>;
  /** The current DN of an entry read (or renamed) in this run, else the planned one. */
  dnOf(key: string, planned: string): string;
  /** Records that the entry with `key` is now at `dn`. */
  moved(key: string, dn: string): void;
  memberDn(member: MemberAddition): string;
  parsedAccount(key: string): ParsedAccount | undefined;
}

/** Performs one action with one LDAP operation (two for a rename that needs a follow-up). */
export async function performLdapWrite(
  action: Action,
  context: WriteContext,
  target: WriteTarget,
): Promise<'done' | 'already'> {
  const { dialect, layout } = target;
  const op = (): Client => target.client();
  switch (action.type) {
    case 'create-account': {
      if (context.password === undefined)
        throw new DirectoryError('write-failed', `create-account ${action.uid}: no password given`);
      const dn = childDn(dialect.accountRdnAttribute, action.uid, layout.peopleDn);
      try {
        await op().add(dn, toAttributes(dialect.newAccount(action.uid, action.attributes, context.password)));
        return 'done';
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
        return verifyAccount(target, dn, action.uid, action.attributes.employeeId);
      }
    }
    case 'rename-account':
      return renameAccount(target, action);
    case 'update-account':
      await op().modify(
        target.dnOf(action.account.key, action.account.dn),
        toChanges(dialect.attributeChanges(action.changes)),
      );
      return 'done';
    case 'lock-account':
      await op().modify(
        target.dnOf(action.account.key, action.account.dn),
        toChanges(dialect.lockChanges(target.parsedAccount(action.account.key))),
      );
      return 'done';
    case 'unlock-account':
      return ignoring(NoSuchAttributeError, () =>
        op().modify(
          target.dnOf(action.account.key, action.account.dn),
          toChanges(dialect.unlockChanges(target.parsedAccount(action.account.key))),
        ),
      );
    case 'delete-account':
      return ignoring(NoSuchObjectError, () => op().del(target.dnOf(action.account.key, action.account.dn)));
    case 'create-group': {
      const dn = childDn('cn', action.group, layout.groupsDn);
      const members = action.members.map((m) => target.memberDn(m));
      const initial = members.length === 0 && dialect.needsPlaceholder ? [dn] : members;
      try {
        await op().add(dn, toAttributes(dialect.newGroup(action.group, initial)));
        return 'done';
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
        await verifyGroup(target, dn, action.group);
        return reconcileMembers(target, dn, members, [], undefined);
      }
    }
    case 'rename-group': {
      const to = childDn('cn', action.group, parseRdn(action.groupDn)?.parent ?? layout.groupsDn);
      if (action.groupDn !== to) await op().modifyDN(action.groupDn, to);
      const extra = dialect.renameGroupChanges(action.group);
      if (extra.length > 0) await op().modify(to, toChanges(extra));
      return 'done';
    }
    case 'update-members':
      return updateMembers(target, action);
    default:
      return assertNever(action);
  }
}

/**
 * An add met an existing entry: it counts as done only when that entry is the account aac would
 * have created (its class, its uid, its employeeId). Anything else is a conflict, named by DN,
 * never "already".
 */
async function verifyAccount(
  target: WriteTarget,
  dn: string,
  uid: string,
  employeeId: string | undefined,
): Promise<'already'> {
  const found = await target.lookup(dn, target.dialect.accountAttributes);
  if (typeof found === 'string')
    throw new DirectoryError(
      found === 'hidden' ? 'not-visible' : 'conflict',
      found === 'hidden'
        ? `${dn} already exists but the bind may not read it: give the bind read access to the people OU`
        : `${uid} cannot be created: the directory says the name is taken, but not by ${dn}${target.dialect.flavor === 'active-directory' ? ` (sAMAccountName and userPrincipalName are unique in the whole domain)` : ''}`,
    );
  const problem = accountMismatch(target.dialect, found, uid, employeeId);
  if (problem !== undefined)
    throw new DirectoryError('conflict', `${uid} cannot be created: ${dn} already exists and ${problem}`);
  return 'already';
}

/** Why an existing entry is not the account aac wanted, or undefined when it is. */
function accountMismatch(
  dialect: LdapDialect,
  found: LdapEntry,
  uid: string,
  employeeId: string | undefined,
): string | undefined {
  if (!dialect.isAccount(found))
    return `it is ${allValues(found, 'objectClass').join('/')}, not an account aac manages`;
  const parsed = dialect.parseAccount(found);
  if (foldName(parsed.uid) !== foldName(uid)) return `its ${dialect.nameAttribute} is ${parsed.uid}`;
  const theirs = parsed.attributes.employeeId;
  if (employeeId !== undefined && theirs !== undefined && foldName(theirs) !== foldName(employeeId))
    return `it carries another employeeId (${theirs})`;
  return undefined;
}

/** A group add met an existing entry: it must be a group of the class aac manages. */
async function verifyGroup(target: WriteTarget, dn: string, name: string): Promise<void> {
  const found = await target.lookup(dn, ['objectClass', 'cn']);
  if (found === 'hidden') throw new DirectoryError('not-visible', `${dn} already exists but the bind may not read it`);
  if (found === 'missing')
    throw new DirectoryError(
      'conflict',
      `group ${name} cannot be created: the directory says the name is taken, but not by ${dn}${target.dialect.flavor === 'active-directory' ? ' (sAMAccountName is unique in the whole domain)' : ''}`,
    );
  if (!target.dialect.isGroup(found))
    throw new DirectoryError(
      'conflict',
      `group ${name} cannot be created: ${dn} already exists and is ${allValues(found, 'objectClass').join('/')}, not a group aac manages`,
    );
}

async function renameAccount(
  target: WriteTarget,
  action: Extract<Action, { type: 'rename-account' }>,
): Promise<'done' | 'already'> {
  const { dialect, layout } = target;
  const from = target.dnOf(action.account.key, action.account.dn);
  const parent = parseRdn(from)?.parent ?? layout.peopleDn;
  const to = childDn(dialect.accountRdnAttribute, action.newUid, parent);
  let outcome: 'done' | 'already' = 'done';
  // Compared exactly: a case-only rename is a real modrdn (the directory takes it as the same name).
  if (from !== to) {
    try {
      await target.client().modifyDN(from, to);
    } catch (error) {
      // Renamed by a run whose answer was lost: the old name is gone and the new one is there.
      if (!(error instanceof NoSuchObjectError) || typeof (await target.lookup(to, ['1.1'])) === 'string') throw error;
      outcome = 'already';
    }
  }
  target.moved(action.account.key, to);
  const extra = dialect.renameChanges(action.newUid);
  if (extra.length > 0) await target.client().modify(to, toChanges(extra));
  if (normalizeDn(from) !== normalizeDn(to)) await repointMembers(target, from, to);
  return outcome;
}

/**
 * Without the refint (or memberof-refint) overlay, group members keep the old DN after a modrdn,
 * and the next read would find them dangling. With it, this search finds nothing.
 */
async function repointMembers(target: WriteTarget, from: string, to: string): Promise<void> {
  const { searchEntries } = await target.client().search(target.layout.groupsDn, {
    scope: 'sub',
    filter: new EqualityFilter({ attribute: 'member', value: from }),
    attributes: ['1.1'],
  });
  for (const group of searchEntries) await reconcileMembers(target, group.dn, [to], [from], undefined);
}

async function updateMembers(
  target: WriteTarget,
  action: Extract<Action, { type: 'update-members' }>,
): Promise<'done' | 'already'> {
  const add = action.add.map((m) => target.memberDn(m));
  // By key where there is one: a rename earlier in this run has moved the member value with the entry.
  const remove = action.remove.map((r) => (r.key === undefined ? r.dn : target.dnOf(r.key, r.dn)));
  const changes: LdapModification[] = [];
  if (add.length > 0 || action.placeholder === 'add')
    changes.push({
      operation: 'add',
      type: 'member',
      values: [...add, ...(action.placeholder === 'add' ? [action.groupDn] : [])],
    });
  if (remove.length > 0 || action.placeholder === 'remove')
    changes.push({
      operation: 'delete',
      type: 'member',
      values: [...remove, ...(action.placeholder === 'remove' ? [action.groupDn] : [])],
    });
  if (changes.length === 0) return 'already';
  try {
    await target.client().modify(action.groupDn, toChanges(changes));
    return 'done';
  } catch (error) {
    // A value already there or already gone (a retry after a lost answer: OpenLDAP answers 20 / 16,
    // AD 68 / 53), or a group that would be left empty: redo from what the group holds now. A member
    // DN that does not exist fails the whole modify in AD (32): redo without it, then say so.
    if (error instanceof NoSuchObjectError) return addExisting(target, action.groupDn, add, remove, action.placeholder);
    if (!isValueConflict(error)) throw error;
    return reconcileMembers(target, action.groupDn, add, remove, action.placeholder);
  }
}

/** The answers meaning "the value is already there / already gone" (OpenLDAP, AD), or "would leave the group empty". */
function isValueConflict(error: unknown): boolean {
  return (
    error instanceof TypeOrValueExistsError ||
    error instanceof NoSuchAttributeError ||
    error instanceof ObjectClassViolationError ||
    error instanceof AlreadyExistsError ||
    error instanceof UnwillingToPerformError
  );
}

/**
 * The members that exist are added (and the removals done) in one modify; the ones that do not
 * (an account whose creation failed in an earlier run) make the action fail afterwards, naming
 * them, so that one missing account never keeps everyone else out of the group.
 */
async function addExisting(
  target: WriteTarget,
  groupDn: string,
  add: string[],
  remove: string[],
  placeholder: 'add' | 'remove' | undefined,
): Promise<'done' | 'already'> {
  const missing: string[] = [];
  for (const dn of add) if ((await target.lookup(dn, ['1.1'])) === 'missing') missing.push(dn);
  if (missing.length === 0) throw new DirectoryError('write-failed', `${groupDn}: the group is gone`);
  const present = add.filter((dn) => !missing.includes(dn));
  await reconcileMembers(target, groupDn, present, remove, placeholder);
  throw new DirectoryError(
    'write-failed',
    `${groupDn}: the other members were added, but ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist`,
  );
}

/** Brings a group to (current - remove + add), keeping the placeholder rule, from a fresh read of the group. */
async function reconcileMembers(
  target: WriteTarget,
  groupDn: string,
  add: string[],
  remove: string[],
  placeholder: 'add' | 'remove' | undefined,
): Promise<'done' | 'already'> {
  const found = await target.lookup(groupDn, ['member']);
  if (typeof found === 'string')
    throw new DirectoryError(found === 'hidden' ? 'not-visible' : 'write-failed', `cannot read ${groupDn} again`);
  const current = parseRangedValues(found, 'member').values;
  const changes = computeMemberChanges({
    groupDn,
    current,
    add,
    remove,
    placeholder,
    needsPlaceholder: target.dialect.needsPlaceholder,
  });
  if (changes.length === 0) return 'already';
  await target.client().modify(groupDn, toChanges(changes));
  return 'done';
}

async function ignoring(
  errorClass: abstract new (...args: never[]) => Error,
  operation: () => Promise<void>,
): Promise<'done' | 'already'> {
  try {
    await operation();
    return 'done';
  } catch (error) {
    if (error instanceof errorClass) return 'already';
    throw error;
  }
}
