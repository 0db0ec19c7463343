import type { Cause } from './action.js';

/**
 * Why a person's or a group's actions stop: the directory holds entries that claim the same
 * identity, or an entry aac must not take for the one it wants. Others' actions go on; the
 * entries named are left alone (never locked, their memberships kept) until someone decides.
 */
export type ConflictCode =
  /** Two or more accounts carry the person's employeeId. */
  | 'duplicate-employee-id'
  /** Two or more entries carry the uid (or group name), compared as the directory compares. */
  | 'duplicate-name'
  /** The account with the person's uid carries another employeeId: it is someone else's. */
  | 'different-person'
  /** The person's entry must be renamed to a uid another entry holds. */
  | 'name-taken'
  /** An entry of another object class (e.g. `account`) holds the uid: it cannot be managed as an account. */
  | 'not-an-account'
  /** An entry of another object class holds the group name. */
  | 'not-a-group'
  /** Two or more leftover accounts carry the person's email. */
  | 'duplicate-email'
  /** The files declare it but `reconcile.unmanaged` says the reconciler never touches the entry. */
  | 'unmanaged'
  /** A rename that would go round in a circle (a takes b's uid while b takes a's). */
  | 'rename-cycle';

export interface Conflict {
  subject: { kind: 'person'; uid: string } | { kind: 'group'; name: string };
  code: ConflictCode;
  /** Every entry involved, by DN as the server returned it. */
  dns: string[];
  cause?: Cause;
}

/**
 * Something the plan does not change but reports: an account the files want active that is locked
 * by someone other than aac. The directory's own lockout after failed binds and an administrator's
 * lock are theirs to lift, never the reconciler's.
 */
export interface Notice {
  kind: 'locked-out' | 'locked-by-someone-else';
  uid: string;
  dn: string;
  /** For `locked-out`: when the lockout began (ms since the epoch), if the directory says. */
  since?: number;
  cause?: Cause;
}

/** One line for a conflict. */
export function describeConflict(conflict: Conflict): string {
  const who = conflict.subject.kind === 'person' ? `person ${conflict.subject.uid}` : `group ${conflict.subject.name}`;
  const what: Record<ConflictCode, string> = {
    'duplicate-employee-id': 'several accounts carry the same employeeId',
    'duplicate-name': 'several entries carry the same name (compared ignoring case and spacing)',
    'different-person': 'the entry with this uid carries another employeeId: it belongs to someone else',
    'name-taken': 'the new uid is held by another entry',
    'not-an-account': 'the entry with this uid is not of the account object class aac manages',
    'not-a-group': 'the entry with this name is not of the group object class aac manages',
    'duplicate-email': 'several leftover accounts carry the same email',
    unmanaged: 'the entry is listed under reconcile.unmanaged, so the reconciler never touches it',
    'rename-cycle': 'renames that exchange uids cannot be done one after the other',
  };
  return `conflict: ${who}: ${what[conflict.code]}: ${conflict.dns.join(' and ')}; nothing is done for it until the entries are sorted out by hand`;
}

/** One line for a notice. */
export function describeNotice(notice: Notice): string {
  return notice.kind === 'locked-out'
    ? `account ${notice.uid} is locked by the directory after failed binds${notice.since === undefined ? '' : ` (since ${new Date(notice.since).toISOString()})`}: not lifted by aac; an administrator unlocks it after looking into it (${notice.dn})`
    : `account ${notice.uid} is locked, and not by aac: not lifted; whoever locked it unlocks it (${notice.dn})`;
}
