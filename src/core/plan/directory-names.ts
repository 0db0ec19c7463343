/**
 * Names compared the way LDAP directories compare them. `uid`, `cn`, `sAMAccountName`,
 * `employeeNumber` and `mail` use case-insensitive matching rules in the standard schemas
 * (caseIgnoreMatch, caseIgnoreIA5Match), which also ignore leading, trailing and repeated spaces.
 * Two values that fold to the same string are one name to the directory.
 */

/**
 * A name folded as caseIgnoreMatch compares it.
 * @example foldName('  CRM  Admins ') // 'crm admins'
 */
export function foldName(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * A DN folded for comparison: lower case, no spaces around separators or inside values' edges.
 * Good enough for the DNs aac builds and reads back (no escaped separators in names it manages).
 * @example foldDn('uid=JSmith, ou=People,dc=example,dc=org') // 'uid=jsmith,ou=people,dc=example,dc=org'
 */
export function foldDn(dn: string): string {
  const lower = dn.toLowerCase();
  return lower.includes(' ') ? lower.replace(/\s*([,=+])\s*/g, '$1').trim() : lower;
}
