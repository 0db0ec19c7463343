import { Attribute, Change } from 'ldapts';
import type { LdapModification, LdapValue } from './ldap-dialect.js';

/** A DN compared loosely: lower case, no spaces around separators. */
export function normalizeDn(dn: string): string {
  const lower = dn.toLowerCase();
  return lower.includes(' ') ? lower.replace(/\s*([,=+])\s*/g, '$1') : lower;
}

/** A dialect's new-entry attributes as ldapts `Attribute`s. */
export function toAttributes(entry: Record<string, LdapValue[]>): Attribute[] {
  return Object.entries(entry).map(([type, values]) => new Attribute({ type, values: values as string[] | Buffer[] }));
}

/** A dialect's modifications as ldapts `Change`s, in order (one modify request). */
export function toChanges(modifications: LdapModification[]): Change[] {
  return modifications.map(
    (m) =>
      new Change({
        operation: m.operation,
        modification: new Attribute({ type: m.type, values: m.values as string[] | Buffer[] }),
      }),
  );
}

/** The error's class and message, as safe to print (ldapts messages carry the server's text, never our password). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

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
