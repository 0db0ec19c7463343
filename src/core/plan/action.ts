import type { AccountAttributes } from './directory-snapshot.js';

/**
 * Where in the access files an action comes from: the file and the path of the value inside it
 * (e.g. `['grants', 2]`). `line` and `column` (1-based) are filled in by `locatePlanCauses` when a
 * plan is shown: finding them re-reads the YAML syntax tree, which a large apply does not need.
 */
export interface Cause {
  file: string;
  path: readonly (string | number)[];
  line?: number;
  column?: number;
}

/** An existing entry: its stable key, its DN when the plan was made, and its uid. */
export interface AccountRef {
  key: string;
  dn: string;
  uid: string;
}

/**
 * Why a member is removed from a group. `revoked`: the files no longer grant a membership that the
 * last applied files granted, or that aac provisioned (its audit log); `drift`: neither (added
 * outside aac, never granted).
 */
export type RemovalReason = 'revoked' | 'drift' | 'expired' | 'disabled' | 'deleted' | 'file-removed' | 'group-retired';
/** Why the reconciler locks an account; the audit log checks `account.locked` records against this list. */
export const LOCK_REASONS = ['disabled', 'file-removed', 'temporary-password-unchanged'] as const;
export type LockReason = (typeof LOCK_REASONS)[number];

export interface MemberAddition {
  uid: string;
  /** Set when the account exists (a renamed account is found by key); absent for one created in this run. */
  key?: string;
  cause?: Cause;
}

export interface MemberRemoval {
  /** The member value exactly as stored. */
  dn: string;
  /** Set when the member is an account read: a rename earlier in the run moves the value, and the key finds it. */
  key?: string;
  /** The member's uid when it is a managed account. */
  uid?: string;
  reason: RemovalReason;
  /** For `expired`: the grant that ran out. */
  grant?: { system: string; role: string; expires: string };
  /** For `revoked`: the grant the last applied files held. */
  revoked?: { system: string; role: string };
  cause?: Cause;
}

/** Whom the notifier tells about a new account (the person, and the manager or sponsor who hands over the password). */
export interface Provisioning {
  email: string;
  name: string;
  type: string;
  /** The manager (employees, contractors) or sponsor (externals) who receives the temporary password. */
  handoverTo?: { uid: string; name: string; email: string; role: 'manager' | 'sponsor' | 'service desk' };
  /** `system/role` names the account is given now. */
  systems: string[];
}

/**
 * One change to the directory. A discriminated union: every consumer switches on `type` with
 * a `never` default, so adding a kind of action is a compile error until all handle it.
 * Actions never carry a password: the applier generates it at creation time.
 */
export type Action =
  | { type: 'rename-account'; account: AccountRef; newUid: string; cause?: Cause }
  | { type: 'create-account'; uid: string; attributes: AccountAttributes; provisioning: Provisioning; cause?: Cause }
  | { type: 'update-account'; account: AccountRef; changes: AttributeChange[]; cause?: Cause }
  | { type: 'unlock-account'; account: AccountRef; cause?: Cause }
  | { type: 'create-group'; group: string; members: MemberAddition[]; cause?: Cause }
  /** A group whose name in the directory differs from the role's only in case or spacing (the directory's cn compares them equal). */
  | { type: 'rename-group'; group: string; from: string; groupKey: string; groupDn: string; cause?: Cause }
  | {
      type: 'update-members';
      group: string;
      groupKey: string;
      groupDn: string;
      add: MemberAddition[];
      remove: MemberRemoval[];
      /** Add or remove the placeholder member that keeps an OpenLDAP group valid when it has no real member. */
      placeholder?: 'add' | 'remove';
      cause?: Cause;
    }
  | { type: 'lock-account'; account: AccountRef; reason: LockReason; cause?: Cause }
  | { type: 'delete-account'; account: AccountRef; cause?: Cause };

export type ActionType = Action['type'];

/** The order in which action types are applied. Actions of one phase are independent of each other. */
export const PHASES: readonly (readonly ActionType[])[] = [
  // Renames first: later actions (group adds) name the account by its new uid. Renames run one
  // at a time in plan order, which puts a rename that frees a name before the one that takes it.
  ['rename-account', 'rename-group'],
  ['create-account', 'update-account', 'unlock-account'],
  // Groups after accounts, so that members exist when they are added.
  ['create-group', 'update-members'],
  // Locks and deletions last: memberships are removed before an entry goes.
  ['lock-account'],
  ['delete-account'],
];

export interface AttributeChange {
  attribute: keyof AccountAttributes;
  from?: string;
  to?: string;
}

/** What an action is about, for reports: a uid or a group name. */
export function actionSubject(action: Action): string {
  switch (action.type) {
    case 'create-account':
      return action.uid;
    case 'rename-account':
    case 'update-account':
    case 'unlock-account':
    case 'lock-account':
    case 'delete-account':
      return action.account.uid;
    case 'create-group':
    case 'rename-group':
    case 'update-members':
      return action.group;
    default:
      return assertNever(action);
  }
}

/** Number of directory writes an action takes (one per entry touched). */
export function countWrites(action: Action): number {
  return action.type === 'update-members' && action.add.length + action.remove.length === 0 && !action.placeholder
    ? 0
    : 1;
}

/** Compile-time exhaustiveness check for switches over unions. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
