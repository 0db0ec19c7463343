/**
 * Lookups by ids that come from files. `record[id]` and `id in record` see the prototype:
 * `roles['constructor']` is a function and `'toString' in attestations` is true, so an id
 * like `constructor` would name a role, a level or an attestation that nobody declared.
 * Every lookup of an untrusted id in a plain object goes through these.
 */

/** The record's own value for `key`, never an inherited one. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Whether the record itself declares `key` (not its prototype). */
export function hasOwn(record: Readonly<Record<string, unknown>> | undefined, key: string): boolean {
  return record !== undefined && Object.hasOwn(record, key);
}
