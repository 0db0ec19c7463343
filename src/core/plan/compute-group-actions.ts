import type { Action, Cause, MemberAddition, MemberRemoval, RemovalReason } from './action.js';
import type { DesiredGroup, DesiredState, Membership } from './compute-desired-state.js';
import { foldDn, foldName } from './directory-names.js';
import type { DirectorySnapshot, MemberRef, ObservedGroup } from './directory-snapshot.js';
import type { AccountMatch } from './match-accounts.js';
import type { Conflict } from './plan-findings.js';
import { membershipKey } from './reconciler-memory.js';
import type { ReconcilerMemory } from './reconciler-memory.js';

export interface GroupContext {
  desired: DesiredState;
  observed: DirectorySnapshot;
  match: AccountMatch;
  memory: ReconcilerMemory;
  /** Members the last applied files granted, by group then uid (see PlanOptions). */
  previouslyGranted: ReadonlyMap<string, ReadonlyMap<string, { system: string; role: string }>>;
  /** `openldap` groups (groupOfNames) need a placeholder member when empty. */
  needsPlaceholder: boolean;
}

/**
 * The group actions: create the groups no entry holds, rename those whose name differs only in
 * case or spacing, and bring each group's members to the active people with a current grant.
 * Members in a conflict, and unmanaged entries, are left where they are. A group under the groups
 * OU that no role declares any more is emptied (never deleted); an unmanaged group is never written.
 */
export function computeGroupActions(input: GroupContext): { actions: Action[]; conflicts: Conflict[] } {
  const context = prepare(input);
  const { desired, observed } = context;
  const actions: Action[] = [];
  const conflicts: Conflict[] = [];
  const byName = new Map<string, ObservedGroup[]>();
  for (const group of observed.groups) {
    const key = foldName(group.name);
    byName.set(key, [...(byName.get(key) ?? []), group]);
  }
  const foreignByName = new Map<string, string[]>();
  for (const entry of observed.foreign ?? []) {
    if (entry.ou !== 'groups') continue;
    for (const name of new Set([...entry.names, ...(entry.rdn.attribute === 'cn' ? [entry.rdn.value] : [])]))
      foreignByName.set(foldName(name), [...(foreignByName.get(foldName(name)) ?? []), entry.dn]);
  }
  const claimed = new Set<string>();
  for (const group of desired.groups.values()) {
    const key = foldName(group.name);
    const found = byName.get(key) ?? [];
    const foreign = foreignByName.get(key) ?? [];
    const stop = (code: Conflict['code'], dns: string[]): void => {
      conflicts.push({ subject: { kind: 'group', name: group.name }, code, dns, cause: group.cause });
      for (const g of found) claimed.add(g.key);
    };
    if (foreign.length > 0) stop('not-a-group', [...found.map((g) => g.dn), ...foreign]);
    else if (found.length > 1)
      stop(
        'duplicate-name',
        found.map((g) => g.dn),
      );
    else if (found[0]?.unmanaged) stop('unmanaged', [found[0].dn]);
    else if (!found[0])
      actions.push({
        type: 'create-group',
        group: group.name,
        members: additions(group, context, new Set()),
        cause: group.cause,
      });
    else {
      const have = found[0];
      claimed.add(have.key);
      if (have.name !== group.name)
        actions.push({
          type: 'rename-group',
          group: group.name,
          from: have.name,
          groupKey: have.key,
          groupDn: have.dn,
          cause: group.cause,
        });
      const update = computeMemberUpdate(group, have, context);
      if (update) actions.push(update);
    }
  }
  for (const have of observed.groups) {
    if (claimed.has(have.key) || have.unmanaged) continue;
    const remove = have.members
      .filter((member) => !isKept(member, context))
      .map((member) => removal(member, undefined, 'group-retired', context));
    if (remove.length === 0) continue;
    const placeholder = context.needsPlaceholder && !have.hasPlaceholder && remove.length === have.members.length;
    actions.push({
      type: 'update-members',
      group: have.name,
      groupKey: have.key,
      groupDn: have.dn,
      add: [],
      remove,
      ...(placeholder ? { placeholder: 'add' as const } : {}),
    });
  }
  return { actions, conflicts };
}

/** The context with the indexes every member lookup needs, built once. */
interface Prepared extends GroupContext {
  /** Desired uid of each matched account's key. */
  uidOfKey: Map<string, string>;
  /** The uid each account has in the directory, by key. */
  observedUidOfKey: Map<string, string>;
  unmanagedKeys: Set<string>;
  unmanagedDns: Set<string>;
}

function prepare(context: GroupContext): Prepared {
  const uidOfKey = new Map<string, string>();
  for (const [uid, account] of context.match.matched) uidOfKey.set(account.key, uid);
  return {
    ...context,
    uidOfKey,
    observedUidOfKey: new Map(context.observed.accounts.map((a) => [a.key, a.uid])),
    unmanagedKeys: new Set(context.observed.accounts.filter((a) => a.unmanaged).map((a) => a.key)),
    unmanagedDns: new Set((context.observed.foreign ?? []).filter((f) => f.unmanaged).map((f) => foldDn(f.dn))),
  };
}

function computeMemberUpdate(group: DesiredGroup, have: ObservedGroup, context: Prepared): Action | undefined {
  const uidOfKey = context.uidOfKey;
  const present = new Set<string>();
  const remove: MemberRemoval[] = [];
  let kept = 0;
  for (const member of have.members) {
    if (isKept(member, context)) {
      kept++;
      continue;
    }
    const uid = member.key === undefined ? undefined : uidOfKey.get(member.key);
    if (uid !== undefined && group.members.has(uid) && !present.has(uid)) {
      present.add(uid);
      continue;
    }
    const reason = reasonFor(uid, member, group, have, context);
    const expired = reason === 'expired' && uid !== undefined ? group.expired.get(uid) : undefined;
    const removed = removal(member, uid, reason, context, expired);
    if (reason === 'revoked' && uid !== undefined) removed.revoked = revokedGrant(uid, group, have, context);
    remove.push(removed);
  }
  const add = additions(group, context, present);
  const remaining = kept + present.size + add.length;
  let placeholder: 'add' | 'remove' | undefined;
  if (context.needsPlaceholder) {
    if (remaining === 0 && !have.hasPlaceholder) placeholder = 'add';
    if (remaining > 0 && have.hasPlaceholder) placeholder = 'remove';
  }
  if (add.length === 0 && remove.length === 0 && placeholder === undefined) return undefined;
  return {
    type: 'update-members',
    group: group.name,
    groupKey: have.key,
    groupDn: have.dn,
    add,
    remove,
    ...(placeholder ? { placeholder } : {}),
    cause: group.cause,
  };
}

/** The people the group should gain: granted, not in a conflict, not already members. */
function additions(group: DesiredGroup, context: Prepared, present: ReadonlySet<string>): MemberAddition[] {
  const out: MemberAddition[] = [];
  for (const [uid, membership] of group.members) {
    if (present.has(uid) || context.match.blocked.has(uid)) continue;
    const key = context.match.matched.get(uid)?.key;
    out.push(key === undefined ? { uid, cause: membership.cause } : { uid, key, cause: membership.cause });
  }
  return out;
}

/** Members the reconciler leaves alone: entries in a conflict, and unmanaged ones. */
function isKept(member: MemberRef, context: Prepared): boolean {
  if (member.key !== undefined)
    return context.match.frozenKeys.has(member.key) || context.unmanagedKeys.has(member.key);
  const dn = foldDn(member.dn);
  return context.match.frozenDns.has(dn) || context.unmanagedDns.has(dn);
}

function reasonFor(
  uid: string | undefined,
  member: MemberRef,
  group: DesiredGroup,
  have: ObservedGroup,
  context: Prepared,
): RemovalReason {
  if (uid === undefined) return member.key === undefined ? 'drift' : 'file-removed';
  const status = context.desired.accounts.get(uid)?.status;
  if (status === 'deleted') return 'deleted';
  if (status === 'disabled') return 'disabled';
  if (group.expired.has(uid)) return 'expired';
  // Granted once and no longer: a revocation. Known from the last applied files (git), or from
  // aac's own record of what it provisioned, under this uid or the one the entry had.
  const names = namesOf(uid, context);
  const memory = context.memory.memberships;
  const granted =
    previousGrant(names, group, have, context) !== undefined ||
    names.some((name) => memory.has(membershipKey(group.name, name)) || memory.has(membershipKey(have.name, name)));
  return granted ? 'revoked' : 'drift';
}

/** The uid in the files, and the one the entry has in the directory (they differ before a rename). */
function namesOf(uid: string, context: Prepared): string[] {
  const observed = context.match.matched.get(uid)?.uid;
  return observed === undefined || observed === uid ? [uid] : [uid, observed];
}

function previousGrant(
  names: readonly string[],
  group: DesiredGroup,
  have: ObservedGroup,
  context: Prepared,
): { system: string; role: string } | undefined {
  for (const name of [group.name, have.name]) {
    const members = context.previouslyGranted.get(name);
    for (const uid of names) {
      const grant = members?.get(uid);
      if (grant) return grant;
    }
  }
  return undefined;
}

/** The grant a revocation takes away: as the last applied files held it, else the role naming the group now. */
function revokedGrant(
  uid: string,
  group: DesiredGroup,
  have: ObservedGroup,
  context: Prepared,
): { system: string; role: string } {
  return previousGrant(namesOf(uid, context), group, have, context) ?? group.role;
}

function removal(
  member: MemberRef,
  uid: string | undefined,
  reason: RemovalReason,
  context: Prepared,
  expired?: Membership & { expires: string },
): MemberRemoval {
  const removed: MemberRemoval = { dn: member.dn, reason };
  if (member.key !== undefined) removed.key = member.key;
  const name = uid ?? (member.key === undefined ? undefined : context.observedUidOfKey.get(member.key));
  if (name !== undefined) removed.uid = name;
  if (expired) {
    removed.grant = { system: expired.system, role: expired.role, expires: expired.expires };
    removed.cause = expired.cause;
    return removed;
  }
  const cause: Cause | undefined = uid === undefined ? undefined : context.desired.accounts.get(uid)?.cause;
  if (cause) removed.cause = cause;
  return removed;
}
