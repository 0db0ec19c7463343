import { parseCalendarDate, parseExpiry } from './time.js';

/** Whether `delegation` is in force at `now` (ms since the epoch): from the start of `from` to the end of `until`. */
export function isDelegationActive(delegation: { from: string; until: string }, now: number): boolean {
  const from = parseCalendarDate(delegation.from);
  const until = parseExpiry(delegation.until);
  return from !== undefined && until !== undefined && from <= now && now <= until;
}
