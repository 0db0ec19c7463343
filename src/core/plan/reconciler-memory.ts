import type { AuditEvent } from '../audit/audit-event.js';
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

/**
 * Folds the audit log, oldest record first, into what the reconciler has done and not undone.
 * Pure; records of other writers (the app, reports) are ignored.
 * @example computeReconcilerMemory(await auditLog.read()).lockedKeys.has(account.key)
 */
export function computeReconcilerMemory(records: readonly AuditEvent[]): ReconcilerMemory {
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
    switch (record.type) {
      case 'account.locked':
        if (record.details.key !== undefined) lockedKeys.add(record.details.key);
        else lockedUids.add(record.details.uid.toLowerCase());
        break;
      case 'account.unlocked':
        lockedKeys.delete(record.details.key);
        lockedUids.delete(record.details.uid.toLowerCase());
        break;
      case 'apply.completed':
        for (const action of record.details.actions) {
          if (action.result !== 'done') continue;
          const subject = action.subject;
          if (action.type === 'rename-account' && action.to !== undefined) {
            for (const group of [...(groupsOfUid.get(subject.toLowerCase()) ?? [])]) {
              remove(group, subject);
              add(group, action.to);
            }
          } else if (action.type === 'rename-group' && action.to !== undefined) {
            for (const uid of [...(membersOfGroup.get(foldName(subject)) ?? [])]) {
              remove(subject, uid);
              add(action.to, uid);
            }
          } else if (action.type === 'delete-account') {
            for (const group of [...(groupsOfUid.get(subject.toLowerCase()) ?? [])]) remove(group, subject);
          } else if (action.type === 'create-group' || action.type === 'update-members') {
            for (const uid of action.removed ?? []) remove(subject, uid);
            for (const uid of action.added ?? []) add(subject, uid);
          }
        }
        break;
      default:
        // Records of other writers (the app, reports) say nothing about what the reconciler did.
        break;
    }
  }
  const memberships = new Set<string>();
  for (const [group, uids] of membersOfGroup) for (const uid of uids) memberships.add(`${group}\u0000${uid}`);
  return { lockedKeys, lockedUids, memberships };
}
