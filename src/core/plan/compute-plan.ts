import type { Policy } from '../model/types.js';
import { PHASES, actionSubject } from './action.js';
import type { AccountRef, Action, AttributeChange } from './action.js';
import { ACCOUNT_ATTRIBUTES } from './directory-snapshot.js';
import type { DirectorySnapshot, ObservedAccount } from './directory-snapshot.js';
import type { DesiredAccount, DesiredState } from './compute-desired-state.js';
import { computeGroupActions } from './compute-group-actions.js';
import { computeGuardViolations } from './compute-guard-violations.js';
import type { GuardViolation } from './compute-guard-violations.js';
import { matchAccounts } from './match-accounts.js';
import type { Conflict, Notice } from './plan-findings.js';
import { EMPTY_MEMORY } from './reconciler-memory.js';
import type { ReconcilerMemory } from './reconciler-memory.js';

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
   * What earlier runs did (from the audit log): which locks are aac's to lift, which memberships
   * it granted. Default: nothing known, so no lock is lifted and every removal of an ungranted
   * membership is drift.
   */
  memory?: ReconcilerMemory;
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
  /** Identities the directory holds twice (or in an entry aac must not take): those people's and groups' actions stop. */
  conflicts: Conflict[];
  /** Locks the plan leaves alone because they are not aac's. */
  notices: Notice[];
  /** Entries read, for the summary and the guards' percentages. */
  observed: { accounts: number; groups: number; memberships: number };
}

/**
 * Compares the desired state with a complete directory snapshot and returns the actions that make
 * the directory match, in the order they must be applied (see `PHASES`).
 *
 * People are matched to accounts on one identity, compared as the directory compares it (see
 * `matchAccounts`), so a person whose uid changes keeps their entry (a rename). Entries that match
 * no file are locked, never deleted. Only locks aac set are lifted.
 *
 * @example computePlan(computeDesiredState(tree, now), await directory.read(), { now, flavor: 'openldap', guards: {} })
 */
export function computePlan(desired: DesiredState, observed: DirectorySnapshot, options: PlanOptions): Plan {
  const memory = options.memory ?? EMPTY_MEMORY;
  const match = matchAccounts(desired, observed);
  const actions: Action[] = [];
  const notices: Notice[] = [];
  for (const want of desired.accounts.values()) {
    if (match.blocked.has(want.uid)) continue;
    const have = match.matched.get(want.uid);
    if (have) actions.push(...accountActions(want, have, options, memory, notices));
    else if (want.status === 'active')
      actions.push({
        type: 'create-account',
        uid: want.uid,
        attributes: want.attributes,
        provisioning: want.provisioning,
        cause: want.cause,
      });
  }
  const claimed = new Set([...match.matched.values()].map((a) => a.key));
  for (const have of observed.accounts) {
    if (claimed.has(have.key) || match.frozenKeys.has(have.key) || have.unmanaged || have.locked) continue;
    actions.push({ type: 'lock-account', account: refOf(have), reason: 'file-removed' });
  }
  const groups = computeGroupActions({
    desired,
    observed,
    match,
    memory,
    previouslyGranted: options.previouslyGranted ?? new Map(),
    needsPlaceholder: options.flavor === 'openldap',
  });
  actions.push(...groups.actions);
  const ordered = orderActions(actions, match.renameOrder);
  const memberships = observed.groups.reduce((n, g) => n + g.members.length, 0);
  const counts = { accounts: observed.accounts.length, groups: observed.groups.length, memberships };
  return {
    actions: ordered,
    violations: computeGuardViolations(ordered, counts, options.guards),
    conflicts: [...match.conflicts, ...groups.conflicts],
    notices,
    observed: counts,
  };
}

/** The actions of one person whose account exists: delete, rename, update, lock or unlock. */
function accountActions(
  want: DesiredAccount,
  have: ObservedAccount,
  options: PlanOptions,
  memory: ReconcilerMemory,
  notices: Notice[],
): Action[] {
  const ref = refOf(have);
  if (want.status === 'deleted') return [{ type: 'delete-account', account: ref, cause: want.cause }];
  const actions: Action[] = [];
  // Exact comparison: a uid that differs only in case is the same entry to the directory, but the
  // files say how it is written, so the entry is renamed (modrdn accepts a case-only change).
  if (have.uid !== want.uid || have.rdnUid !== want.uid)
    actions.push({ type: 'rename-account', account: ref, newUid: want.uid, cause: want.cause });
  const current: AccountRef = { ...ref, uid: want.uid };
  const changes = computeAttributeChanges(want, have);
  if (changes.length > 0) actions.push({ type: 'update-account', account: current, changes, cause: want.cause });
  if (want.status === 'disabled') {
    // A lockout may expire; a disabled person needs the permanent lock.
    if (!have.locked) actions.push({ type: 'lock-account', account: current, reason: 'disabled', cause: want.cause });
    return actions;
  }
  const lifetime = options.temporaryPasswordLifetimeMs ?? TEMPORARY_PASSWORD_LIFETIME_MS;
  const stale =
    have.mustChangePassword && have.passwordSetAt !== undefined && options.now - have.passwordSetAt >= lifetime;
  if (stale && !have.locked)
    actions.push({ type: 'lock-account', account: current, reason: 'temporary-password-unchanged', cause: want.cause });
  if (!stale && have.locked) {
    if (memory.lockedKeys.has(have.key) || memory.lockedUids.has(have.uid.toLowerCase()))
      actions.push({ type: 'unlock-account', account: current, cause: want.cause });
    else notices.push({ kind: 'locked-by-someone-else', uid: want.uid, dn: have.dn, cause: want.cause });
  }
  if (have.lockedOut && !stale)
    notices.push({
      kind: 'locked-out',
      uid: want.uid,
      dn: have.dn,
      ...(have.lockedOut.since !== undefined ? { since: have.lockedOut.since } : {}),
      cause: want.cause,
    });
  return actions;
}

function refOf(have: ObservedAccount): AccountRef {
  return { key: have.key, dn: have.dn, uid: have.uid };
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

/** Phase by phase; renames in the order that frees a uid before it is taken; then by type and subject. */
function orderActions(actions: Action[], renameOrder: readonly string[]): Action[] {
  const phaseOf = new Map(PHASES.flatMap((types, i) => types.map((t) => [t, i] as const)));
  const renameRank = new Map(renameOrder.map((uid, i) => [uid, i]));
  const rank = (action: Action): number =>
    action.type === 'rename-account' ? (renameRank.get(action.newUid) ?? renameOrder.length) : 0;
  return actions
    .map((action, index) => ({ action, index, phase: phaseOf.get(action.type) ?? 0, subject: actionSubject(action) }))
    .sort(
      (a, b) =>
        a.phase - b.phase ||
        rank(a.action) - rank(b.action) ||
        (a.action.type < b.action.type ? -1 : a.action.type > b.action.type ? 1 : 0) ||
        (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) ||
        a.index - b.index,
    )
    .map((x) => x.action);
}
