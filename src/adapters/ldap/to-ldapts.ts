import { Attribute, Change } from 'ldapts';
import type { LdapModification, LdapValue } from './ldap-dialect.js';

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
