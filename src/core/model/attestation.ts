import { own } from './own.js';
import { parseCalendarDate } from './time.js';
import type { Person } from './types.js';

/**
 * Whether a person has a valid attestation `name` at `now` (ms since the epoch): `true`, or a
 * real calendar date that is not in the future. `false`, a date that does not exist, a date
 * still to come ("background check: next month") and a name the person's file only inherits
 * (`constructor`) do not count.
 * @example isAttested(jsmith, 'backgroundCheck', Date.parse('2026-11-22')) // true for "2026-01-10"
 */
export function isAttested(person: Pick<Person, 'attestations'>, name: string, now: number): boolean {
  const value = own(person.attestations, name);
  if (value === true) return true;
  if (typeof value !== 'string') return false;
  const at = parseCalendarDate(value);
  return at !== undefined && at <= now;
}
