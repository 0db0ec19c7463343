import type { Policy } from '../model/types.js';

/** Where the managed entries live. DNs are strings as the policy (or AAC_LDAP_BASE_DN) writes them. */
export interface DirectoryLayout {
  baseDn: string;
  /** Which setting gave the base DN, so that an error can name it. */
  baseDnSource: 'directory.baseDN' | 'AAC_LDAP_BASE_DN';
  /** e.g. `ou=people,dc=example,dc=org` */
  peopleDn: string;
  /** e.g. `ou=groups,dc=example,dc=org` */
  groupsDn: string;
  /** OpenLDAP: the ppolicy default entry, e.g. `cn=default,ou=policies,dc=example,dc=org`. */
  passwordPolicyDn: string;
  flavor: Policy['directory']['flavor'];
  /** `reconcile.unmanaged`: absolute DNs (each an entry or a subtree) and LDAP filters the reconciler never touches. */
  unmanaged: { dns: string[]; filters: string[] };
}

/** The layout from the policy's `directory`, with the base DN optionally overridden (AAC_LDAP_BASE_DN). */
export function computeDirectoryLayout(
  directory: Policy['directory'],
  baseDnOverride?: string,
  reconcile: Policy['reconcile'] = { unmanaged: [] },
): DirectoryLayout {
  const baseDn = baseDnOverride ?? directory.baseDN;
  const filters = reconcile.unmanaged.filter((item) => item.trim().startsWith('('));
  const dns = reconcile.unmanaged.filter((item) => !item.trim().startsWith('(')).map((dn) => `${dn.trim()},${baseDn}`);
  return {
    baseDn,
    baseDnSource: baseDnOverride === undefined ? 'directory.baseDN' : 'AAC_LDAP_BASE_DN',
    peopleDn: `${directory.peopleOU},${baseDn}`,
    groupsDn: `${directory.groupsOU},${baseDn}`,
    passwordPolicyDn: `${directory.passwordPolicy ?? DEFAULT_PASSWORD_POLICY},${baseDn}`,
    flavor: directory.flavor,
    unmanaged: { dns, filters },
  };
}

/** The ppolicy default entry, relative to the base DN, when the policy does not name one. */
export const DEFAULT_PASSWORD_POLICY = 'cn=default,ou=policies';
