/**
 * Dates in access files: `YYYY-MM-DD` means the end of that day in UTC (access lasts through
 * the day written); a date-time without an offset is UTC. Every date is a real calendar date:
 * `2026-02-30`, `2026-13-01` and `2026-01-01T24:00` are not dates (JavaScript's `Date.parse`
 * would roll the first over to March 2), so they are refused everywhere instead of meaning
 * something nobody wrote.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Milliseconds since the epoch of the START of a calendar date or date-time, or undefined when
 * the text is not a real one. `2024-02-29` is a date; `2026-02-29` is not.
 * @example parseCalendarDate('2026-11-22') // Date.UTC(2026, 10, 22)
 */
export function parseCalendarDate(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return undefined;
  const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7].slice(0, 3)}`) * 1000);
  let offset = 0;
  if (m[8] !== undefined && m[8] !== 'Z') {
    const [oh, om] = [Number(m[9]), Number(m[10])];
    if (oh > 23 || om > 59) return undefined;
    offset = (m[8].startsWith('-') ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, fraction) - offset;
}

/** Whether `text` is a plain `YYYY-MM-DD` date (no time part). */
export function isDateOnly(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text);
}

/** Milliseconds since the epoch at which a grant written `expires: text` ends, or undefined when it is not a real date. */
export function parseExpiry(text: string): number | undefined {
  const start = parseCalendarDate(text);
  if (start === undefined) return undefined;
  return isDateOnly(text) ? start + DAY_MS - 1 : start;
}

/** Parses `72h` or `3d` into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^([1-9][0-9]*)([hd])$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'd' ? 24 : 1) * 3600 * 1000;
}

/** `2026-11-22` for a time in milliseconds. */
export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
