/** A DN compared loosely: lower case, no spaces around separators. */
export function normalizeDn(dn: string): string {
  const lower = dn.toLowerCase();
  return lower.includes(' ') ? lower.replace(/\s*([,=+])\s*/g, '$1') : lower;
}
