import type { AuditRecord } from '../audit/audit-event.js';
import { foldName } from './directory-names.js';

/**
 * What the reconciler did in earlier runs, folded from its own audit records: the directory alone
 * cannot say whose a lock is (an administrator's, a security lockout, or aac's), nor whether a
 * membership was once granted (a removed grant: revoked) or never was (drift).
 */
export interface ReconcilerMemory {
  /** Entry keys whose administrative lock aac set and has not lifted since. */
  lockedKeys: ReadonlySet<string>;
  /** The same by uid (lower case), for records written before they carried the key. */
  lockedUids: ReadonlySet<string>;
  /** Memberships aac provisioned and has not removed since, as `membershipKey(group, uid)`. */
  memberships: ReadonlySet<string>;
}

/** Nothing known: no lock is taken for aac's, no removal for a revocation. */
export const EMPTY_MEMORY: ReconcilerMemory = { lockedKeys: new Set(), lockedUids: new Set(), memberships: new Set() };

/** The key of one membership in `ReconcilerMemory.memberships`: group and uid as the directory compares them. */
export function membershipKey(group: string, uid: string): string {
  return `${foldName(group)}\u0000${uid.toLowerCase()}`;
}

/** One action of an `apply.completed` record, with the fields the memory needs (written by `computeApplyEvents`). */
interface RecordedAction {
  type?: unknown;
  subject?: unknown;
  result?: unknown;
  /** rename-account / rename-group: the new name. */
  to?: unknown;
  /** create-group / update-members: uids added and removed. */
  added?: unknown;
  removed?: unknown;
}

/**
 * Folds the audit log, oldest record first, into what the reconciler has done and not undone.
 * Pure; records of other writers (the app, reports) are ignored.
 * @example computeReconcilerMemory(await auditLog.read()).lockedKeys.has(account.key)
 */
export function computeReconcilerMemory(records: readonly Pick<AuditRecord, 'type' | 'details'>[]): ReconcilerMemory {
  const lockedKeys = new Set<string>();
  const lockedUids = new Set<string>();
  const groupsOfUid = new Map<string, Set<string>>();
  const membersOfGroup = new Map<string, Set<string>>();
  const add = (group: string, uid: string): void => {
    const g = foldName(group);
    const u = uid.toLowerCase();
    (groupsOfUid.get(u) ?? groupsOfUid.set(u, new Set()).get(u)!).add(g);
    (membersOfGroup.get(g) ?? membersOfGroup.set(g, new Set()).get(g)!).add(u);
  };
  const remove = (group: string, uid: string): void => {
    const g = foldName(group);
    const u = uid.toLowerCase();
    groupsOfUid.get(u)?.delete(g);
    membersOfGroup.get(g)?.delete(u);
  };
  for (const record of records) {
    const details = record.details;
    if (record.type === 'account.locked' || record.type === 'account.unlocked') {
      const key = typeof details['key'] === 'string' ? details['key'] : undefined;
      const uid = typeof details['uid'] === 'string' ? details['uid'].toLowerCase() : undefined;
      if (record.type === 'account.locked') {
        if (key !== undefined) lockedKeys.add(key);
        else if (uid !== undefined) lockedUids.add(uid);
      } else {
        if (key !== undefined) lockedKeys.delete(key);
        if (uid !== undefined) lockedUids.delete(uid);
      }
      continue;
    }
    if (record.type !== 'apply.completed' || !Array.isArray(details['actions'])) continue;
    for (const action of details['actions'] as RecordedAction[]) {
      if (action.result !== 'done' || typeof action.subject !== 'string') continue;
      const subject = action.subject;
      if (action.type === 'rename-account' && typeof action.to === 'string') {
        for (const group of [...(groupsOfUid.get(subject.toLowerCase()) ?? [])]) {
          remove(group, subject);
          add(group, action.to);
        }
      } else if (action.type === 'rename-group' && typeof action.to === 'string') {
        for (const uid of [...(membersOfGroup.get(foldName(subject)) ?? [])]) {
          remove(subject, uid);
          add(action.to, uid);
        }
      } else if (action.type === 'delete-account') {
        for (const group of [...(groupsOfUid.get(subject.toLowerCase()) ?? [])]) remove(group, subject);
      } else if (action.type === 'create-group' || action.type === 'update-members') {
        for (const uid of strings(action.removed)) remove(subject, uid);
        for (const uid of strings(action.added)) add(subject, uid);
      }
    }
  }
  const memberships = new Set<string>();
  for (const [group, uids] of membersOfGroup) for (const uid of uids) memberships.add(`${group}\u0000${uid}`);
  return { lockedKeys, lockedUids, memberships };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
