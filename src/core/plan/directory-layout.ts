import type { Policy } from '../model/types.js';

/** Where the managed entries live. DNs are strings as the policy (or AAC_LDAP_BASE_DN) writes them. */
export interface DirectoryLayout {
  baseDn: string;
  /** e.g. `ou=people,dc=example,dc=org` */
  peopleDn: string;
  /** e.g. `ou=groups,dc=example,dc=org` */
  groupsDn: string;
  flavor: Policy['directory']['flavor'];
}

/** The layout from the policy's `directory`, with the base DN optionally overridden (AAC_LDAP_BASE_DN). */
export function computeDirectoryLayout(directory: Policy['directory'], baseDnOverride?: string): DirectoryLayout {
  const baseDn = baseDnOverride ?? directory.baseDN;
  return {
    baseDn,
    peopleDn: `${directory.peopleOU},${baseDn}`,
    groupsDn: `${directory.groupsOU},${baseDn}`,
    flavor: directory.flavor,
  };
}
