/**
 * ISO 8601 times compared as times, not as text: `10:00:00.500Z` is after `10:00:00Z`, though
 * it sorts before it as a string ('.' < 'Z'). A time that does not parse sorts first.
 * @example ['2026-11-02T10:00:00.500Z', '2026-11-02T10:00:00Z'].sort(compareTimes)
 */
export function compareTimes(a: string, b: string): number {
  const x = Date.parse(a);
  const y = Date.parse(b);
  return (Number.isNaN(x) ? -Infinity : x) - (Number.isNaN(y) ? -Infinity : y) || 0;
}

/** Whether `a` is at or before `b`, as times. */
export function atOrBefore(a: string, b: string): boolean {
  return compareTimes(a, b) <= 0;
}
