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
  /** Locked (ppolicy `pwdAccountLockedTime`, AD ACCOUNTDISABLE). */
  locked: boolean;
  /** The password was set by an administrator and not yet changed by its owner (ppolicy `pwdReset`, AD `pwdLastSet=0`). */
  mustChangePassword: boolean;
  /** When the current password was set (or the entry created), in milliseconds since the epoch. */
  passwordSetAt?: number;
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
}

/** Everything under the managed OUs, read completely (adapters throw rather than return a partial read). */
export interface DirectorySnapshot {
  accounts: ObservedAccount[];
  groups: ObservedGroup[];
}
