import type { LdapModification } from './ldap-dialect.js';
import { normalizeDn } from './normalize-dn.js';

export interface MemberChangeInput {
  groupDn: string;
  /** The member values the group holds now (placeholder included). */
  current: readonly string[];
  add: readonly string[];
  remove: readonly string[];
  placeholder: 'add' | 'remove' | undefined;
  /** groupOfNames: the group's own DN stands in when no real member is left. */
  needsPlaceholder: boolean;
}

/**
 * The one modify that brings a group from `current` to (current - remove + add), keeping the
 * placeholder rule whatever the plan assumed: used to redo a group change from a fresh read after
 * a retry met a value already there or already gone. Empty when nothing is left to do.
 */
export function computeMemberChanges(input: MemberChangeInput): LdapModification[] {
  const self = normalizeDn(input.groupDn);
  const current = new Map(input.current.map((v) => [normalizeDn(v), v]));
  const target = new Map(current);
  for (const dn of input.remove) target.delete(normalizeDn(dn));
  if (input.placeholder === 'remove') target.delete(self);
  for (const dn of input.add) target.set(normalizeDn(dn), dn);
  if (input.placeholder === 'add') target.set(self, input.groupDn);
  if (input.needsPlaceholder) {
    const real = [...target.keys()].some((k) => k !== self);
    if (real) target.delete(self);
    else target.set(self, input.groupDn);
  }
  const adds = [...target].filter(([k]) => !current.has(k)).map(([, v]) => v);
  const deletes = [...current].filter(([k]) => !target.has(k)).map(([, v]) => v);
  const changes: LdapModification[] = [];
  if (adds.length > 0) changes.push({ operation: 'add', type: 'member', values: adds });
  if (deletes.length > 0) changes.push({ operation: 'delete', type: 'member', values: deletes });
  return changes;
}
