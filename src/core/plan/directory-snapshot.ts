/**
 * What a directory holds under the managed OUs, in directory-neutral terms. Adapters (LDAP,
 * the embedded file directory) produce it; `computePlan` compares it with the desired state.
 * Entries are identified by `key`: the server's stable id (OpenLDAP `entryUUID`, AD `objectGUID`,
 * a UUID in the file directory), which survives renames.
 */

/** The account attributes aac manages, by neutral name (adapters map them to LDAP attributes). */
export interface AccountAttributes {
  /** Full name (`cn`, AD `displayName`). */
  name: string;
  /** Last word of the name (`sn`). */
  surname: string;
  /** The other words of the name (`givenName`); absent for a one-word name. */
  givenName?: string;
  mail: string;
  title?: string;
  department?: string;
  /** The person's `employeeId` (`employeeNumber`, AD `employeeID`): links a renamed uid to its entry. */
  employeeId?: string;
  /** `employee` | `contractor` | `external` (`employeeType`). */
  type: string;
}

/** The attribute names of `AccountAttributes`, in the order they are compared and shown. */
export const ACCOUNT_ATTRIBUTES: readonly (keyof AccountAttributes)[] = [
  'name',
  'surname',
  'givenName',
  'mail',
  'title',
  'department',
  'employeeId',
  'type',
];

export interface ObservedAccount {
  /** Stable id of the entry (entryUUID / objectGUID). */
  key: string;
  /** DN as the server returned it (for display and for the adapter). */
  dn: string;
  /** The `uid` attribute (AD `sAMAccountName`). */
  uid: string;
  /** Value of the RDN when the RDN attribute is the uid attribute; otherwise undefined (a rename fixes it). */
  rdnUid?: string;
  attributes: Partial<AccountAttributes>;
  /**
   * Administratively locked: a permanent lock that only an administrator (or aac) lifts (ppolicy
   * `pwdAccountLockedTime: 000001010000Z`, AD ACCOUNTDISABLE). Whether aac set it is in the
   * reconciler's memory (the audit log), not in the directory.
   */
  locked: boolean;
  /**
   * Locked by the directory itself after failed binds (ppolicy `pwdAccountLockedTime` with a time,
   * AD `lockoutTime`): never the reconciler's to lift. `since` in ms since the epoch.
   */
  lockedOut?: { since?: number };
  /** The password was set by an administrator and not yet changed by its owner (ppolicy `pwdReset`, AD `pwdLastSet=0`). */
  mustChangePassword: boolean;
  /** When the current password was set (or the entry created), in milliseconds since the epoch. */
  passwordSetAt?: number;
  /** In `reconcile.unmanaged`: the reconciler never touches it, nor its memberships. */
  unmanaged?: boolean;
}

/** A reference to a group member: a managed account (by key) or any other DN (drift). */
export type MemberRef = { key: string; dn: string } | { key?: undefined; dn: string };

export interface ObservedGroup {
  key: string;
  dn: string;
  /** The group's name (`cn`, AD `sAMAccountName`). */
  name: string;
  /** Members other than the empty-group placeholder. */
  members: MemberRef[];
  /** Whether the placeholder member that keeps an OpenLDAP groupOfNames valid is present. */
  hasPlaceholder: boolean;
  /** In `reconcile.unmanaged`: never written, even when a role names it (that is a conflict). */
  unmanaged?: boolean;
}

/**
 * An entry under a managed OU that is not of the class aac manages there (an `account` or a
 * `posixAccount` in the people OU, a `groupOfUniqueNames` in the groups OU, a sub-OU). aac never
 * writes it; it is read so that a person or group whose name it holds is a conflict, not an
 * "already there", and so that a member value pointing at it is not taken for a dangling one.
 */
export interface ForeignEntry {
  dn: string;
  /** Which managed OU it is under. */
  ou: 'people' | 'groups';
  /** The RDN's attribute (lower case) and value, e.g. `uid` / `alee`. */
  rdn: { attribute: string; value: string };
  /** Its `uid` values (AD `sAMAccountName`), which the directory keeps unique with the managed ones. */
  names: string[];
  objectClasses: string[];
  unmanaged?: boolean;
}

/** Everything under the managed OUs, read completely (adapters throw rather than return a partial read). */
export interface DirectorySnapshot {
  accounts: ObservedAccount[];
  groups: ObservedGroup[];
  /** Entries of other classes under the managed OUs; absent means none. */
  foreign?: ForeignEntry[];
}
