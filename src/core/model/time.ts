/**
 * Dates in access files: `YYYY-MM-DD` means the end of that day in UTC (access lasts through
 * the day written); a date-time without an offset is UTC.
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds since the epoch, or undefined when the text is not a real calendar date. */
export function parseExpiry(text: string): number | undefined {
  const m = DATE.exec(text);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = Date.UTC(y, mo - 1, d);
    const back = new Date(t);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
    return t + 24 * 3600 * 1000 - 1;
  }
  const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const t = Date.parse(withZone.replace(' ', 'T'));
  return Number.isNaN(t) ? undefined : t;
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
