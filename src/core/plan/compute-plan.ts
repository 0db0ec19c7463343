import type { Policy } from '../model/types.js';
import { PHASES, actionSubject } from './action.js';
import type {
  AccountRef,
  Action,
  AttributeChange,
  Cause,
  MemberAddition,
  MemberRemoval,
  RemovalReason,
} from './action.js';
import { ACCOUNT_ATTRIBUTES } from './directory-snapshot.js';
import type { DirectorySnapshot, ObservedAccount } from './directory-snapshot.js';
import type { DesiredAccount, DesiredState } from './compute-desired-state.js';
import { computeGuardViolations } from './compute-guard-violations.js';
import type { GuardViolation } from './compute-guard-violations.js';

/** 72 hours: a temporary password unchanged for longer locks the account. */
export const TEMPORARY_PASSWORD_LIFETIME_MS = 72 * 3600 * 1000;

export interface PlanOptions {
  /** The time the plan is judged at, in ms since the epoch (expiry and the 72-hour rule). */
  now: number;
  /** `openldap` groups (groupOfNames) need a placeholder member when empty; AD groups may be empty. */
  flavor: Policy['directory']['flavor'];
  /** The policy's limits on removals per run. */
  guards: Policy['guards'];
  /** How long a temporary password may stay unchanged before the account is locked (default 72 hours). */
  temporaryPasswordLifetimeMs?: number;
  /**
   * Members the last applied files granted, by group then uid (with the grant): one the files no
   * longer grant is removed as `revoked`, not as `drift` (which is only what no applied file declared).
   */
  previouslyGranted?: ReadonlyMap<string, ReadonlyMap<string, { system: string; role: string }>>;
}

/** The plan: ordered actions plus what the guards think of them. A value; nothing is written. */
export interface Plan {
  actions: Action[];
  /** Guards this plan trips; `aac apply` refuses to start unless mass change is allowed. */
  violations: GuardViolation[];
  /** Entries read, for the summary and the guards' percentages. */
  observed: { accounts: number; groups: number; memberships: number };
}

/**
 * Compares the desired state with a complete directory snapshot and returns the actions that make
 * the directory match, in the order they must be applied (see `PHASES`).
 *
 * Accounts are matched to people by employeeId, then uid, then mail (ignoring case), so a person
 * whose uid changes keeps their entry (a rename). Entries that match no file are locked, never deleted.
 *
 * @example computePlan(computeDesiredState(tree, now), await directory.read(), { now, flavor: 'openldap', guards: {} })
 */
export function computePlan(desired: DesiredState, observed: DirectorySnapshot, options: PlanOptions): Plan {
  const lifetime = options.temporaryPasswordLifetimeMs ?? TEMPORARY_PASSWORD_LIFETIME_MS;
  const actions: Action[] = [];
  const matched = matchAccounts(desired, observed.accounts);
  /** uid (desired) of each observed key, or undefined for entries no file claims. */
  const uidOfKey = new Map<string, string>();
  for (const [uid, account] of matched) uidOfKey.set(account.key, uid);

  for (const want of desired.accounts.values()) {
    const have = matched.get(want.uid);
    if (!have) {
      if (want.status === 'active')
        actions.push({
          type: 'create-account',
          uid: want.uid,
          attributes: want.attributes,
          provisioning: want.provisioning,
          cause: want.cause,
        });
      continue;
    }
    const ref: AccountRef = { key: have.key, dn: have.dn, uid: have.uid };
    if (want.status === 'deleted') {
      actions.push({ type: 'delete-account', account: ref, cause: want.cause });
      continue;
    }
    if (have.uid !== want.uid || have.rdnUid !== want.uid)
      actions.push({ type: 'rename-account', account: ref, newUid: want.uid, cause: want.cause });
    const current: AccountRef = { ...ref, uid: want.uid };
    const changes = computeAttributeChanges(want, have);
    if (changes.length > 0) actions.push({ type: 'update-account', account: current, changes, cause: want.cause });
    if (want.status === 'disabled') {
      if (!have.locked) actions.push({ type: 'lock-account', account: current, reason: 'disabled', cause: want.cause });
      continue;
    }
    const stale =
      have.mustChangePassword && have.passwordSetAt !== undefined && options.now - have.passwordSetAt >= lifetime;
    if (stale && !have.locked)
      actions.push({
        type: 'lock-account',
        account: current,
        reason: 'temporary-password-unchanged',
        cause: want.cause,
      });
    if (!stale && have.locked) actions.push({ type: 'unlock-account', account: current, cause: want.cause });
  }
  for (const have of observed.accounts) {
    if (!uidOfKey.has(have.key) && !have.locked)
      actions.push({
        type: 'lock-account',
        account: { key: have.key, dn: have.dn, uid: have.uid },
        reason: 'file-removed',
      });
  }

  actions.push(...computeGroupActions(desired, observed, uidOfKey, matched, options));
  const ordered = orderActions(actions);
  const memberships = observed.groups.reduce((n, g) => n + g.members.length, 0);
  const counts = { accounts: observed.accounts.length, groups: observed.groups.length, memberships };
  return { actions: ordered, violations: computeGuardViolations(ordered, counts, options.guards), observed: counts };
}

function computeGroupActions(
  desired: DesiredState,
  observed: DirectorySnapshot,
  uidOfKey: Map<string, string>,
  matched: Map<string, ObservedAccount>,
  options: PlanOptions,
): Action[] {
  const actions: Action[] = [];
  const observedByName = new Map(observed.groups.map((g) => [g.name, g]));
  const observedUidOfKey = new Map(observed.accounts.map((a) => [a.key, a.uid]));
  const observedUid = (key: string | undefined): string | undefined =>
    key === undefined ? undefined : observedUidOfKey.get(key);
  for (const group of desired.groups.values()) {
    const have = observedByName.get(group.name);
    const wanted = [...group.members.entries()].map(([uid, m]): MemberAddition => {
      const key = matched.get(uid)?.key;
      return key === undefined ? { uid, cause: m.cause } : { uid, key, cause: m.cause };
    });
    if (!have) {
      actions.push({ type: 'create-group', group: group.name, members: wanted, cause: group.cause });
      continue;
    }
    const present = new Set<string>();
    const remove: MemberRemoval[] = [];
    for (const member of have.members) {
      const uid = member.key === undefined ? undefined : uidOfKey.get(member.key);
      if (uid !== undefined && group.members.has(uid) && !present.has(uid)) {
        present.add(uid);
        continue;
      }
      const granted = uid === undefined ? undefined : options.previouslyGranted?.get(group.name)?.get(uid);
      const reason = reasonFor(uid, member.key, desired, group.expired);
      const removal = removalOf(
        member.dn,
        uid ?? observedUid(member.key),
        reason === 'drift' && granted ? 'revoked' : reason,
        group.expired.get(uid ?? ''),
        desired.accounts.get(uid ?? '')?.cause,
      );
      if (removal.reason === 'revoked' && granted) removal.revoked = { system: granted.system, role: granted.role };
      remove.push(removal);
    }
    const add = wanted.filter((m) => !present.has(m.uid));
    const remaining = present.size + add.length;
    let placeholder: 'add' | 'remove' | undefined;
    if (options.flavor === 'openldap') {
      if (remaining === 0 && !have.hasPlaceholder) placeholder = 'add';
      if (remaining > 0 && have.hasPlaceholder) placeholder = 'remove';
    }
    if (add.length === 0 && remove.length === 0 && placeholder === undefined) continue;
    actions.push({
      type: 'update-members',
      group: group.name,
      groupKey: have.key,
      groupDn: have.dn,
      add,
      remove,
      ...(placeholder ? { placeholder } : {}),
      cause: group.cause,
    });
  }
  // A group in the managed OU that no role declares any more is emptied, not deleted.
  for (const have of observed.groups) {
    if (desired.groups.has(have.name) || have.members.length === 0) continue;
    const remove = have.members.map((m) => removalOf(m.dn, observedUid(m.key), 'group-retired', undefined, undefined));
    const placeholder = options.flavor === 'openldap' && !have.hasPlaceholder ? 'add' : undefined;
    actions.push({
      type: 'update-members',
      group: have.name,
      groupKey: have.key,
      groupDn: have.dn,
      add: [],
      remove,
      ...(placeholder ? { placeholder } : {}),
    });
  }
  return actions;
}

function reasonFor(
  uid: string | undefined,
  key: string | undefined,
  desired: DesiredState,
  expired: Map<string, unknown>,
): RemovalReason {
  if (uid === undefined) return key === undefined ? 'drift' : 'file-removed';
  const status = desired.accounts.get(uid)?.status;
  if (status === 'deleted') return 'deleted';
  if (status === 'disabled') return 'disabled';
  return expired.has(uid) ? 'expired' : 'drift';
}

function removalOf(
  dn: string,
  uid: string | undefined,
  reason: RemovalReason,
  grant: { system: string; role: string; expires: string; cause: Cause } | undefined,
  accountCause: Cause | undefined,
): MemberRemoval {
  const removal: MemberRemoval = { dn, reason };
  if (uid !== undefined) removal.uid = uid;
  if (reason === 'expired' && grant) {
    removal.grant = { system: grant.system, role: grant.role, expires: grant.expires };
    removal.cause = grant.cause;
  } else if (accountCause) removal.cause = accountCause;
  return removal;
}

/**
 * Pairs people with entries: first by employeeId, then by uid, then by mail when the entry's uid
 * is declared by no file (a uid change that kept the email). Each entry is claimed at most once.
 */
function matchAccounts(desired: DesiredState, observed: readonly ObservedAccount[]): Map<string, ObservedAccount> {
  const matched = new Map<string, ObservedAccount>();
  const claimed = new Set<string>();
  const claim = (uid: string, account: ObservedAccount | undefined): void => {
    if (!account || claimed.has(account.key) || matched.has(uid)) return;
    matched.set(uid, account);
    claimed.add(account.key);
  };
  const byEmployeeId = indexBy(observed, (a) => a.attributes.employeeId);
  const byUid = indexBy(observed, (a) => a.uid);
  const byMail = indexBy(observed, (a) => a.attributes.mail?.toLowerCase());
  const wants = [...desired.accounts.values()];
  for (const want of wants)
    if (want.attributes.employeeId !== undefined) claim(want.uid, byEmployeeId.get(want.attributes.employeeId));
  for (const want of wants) claim(want.uid, byUid.get(want.uid));
  for (const want of wants) {
    const candidate = byMail.get(want.attributes.mail.toLowerCase());
    if (candidate && !desired.accounts.has(candidate.uid)) claim(want.uid, candidate);
  }
  return matched;
}

function indexBy(
  accounts: readonly ObservedAccount[],
  keyOf: (a: ObservedAccount) => string | undefined,
): Map<string, ObservedAccount> {
  const index = new Map<string, ObservedAccount>();
  for (const account of accounts) {
    const k = keyOf(account);
    if (k !== undefined && !index.has(k)) index.set(k, account);
  }
  return index;
}

function computeAttributeChanges(want: DesiredAccount, have: ObservedAccount): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const attribute of ACCOUNT_ATTRIBUTES) {
    const to = want.attributes[attribute];
    const from = have.attributes[attribute];
    if (to === from) continue;
    const change: AttributeChange = { attribute };
    if (from !== undefined) change.from = from;
    if (to !== undefined) change.to = to;
    changes.push(change);
  }
  return changes;
}

function orderActions(actions: Action[]): Action[] {
  const phaseOf = new Map(PHASES.flatMap((types, i) => types.map((t) => [t, i] as const)));
  return actions
    .map((action, index) => ({ action, index, phase: phaseOf.get(action.type) ?? 0, subject: actionSubject(action) }))
    .sort(
      (a, b) =>
        a.phase - b.phase ||
        (a.action.type < b.action.type ? -1 : a.action.type > b.action.type ? 1 : 0) ||
        (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) ||
        a.index - b.index,
    )
    .map((x) => x.action);
}
