/**
 * One human, one key, everywhere (DESIGN.md, "Identity"). `aac validate`, the gate and the
 * reconciler all decide "is this the same human?" and "which human is this?" here, so what the
 * gate judges is what the reconciler does.
 *
 * Identifiers are compared the way the directory compares them: `uid`, `mail` and
 * `employeeNumber` are case-insensitive attributes in OpenLDAP and Active Directory, and GitHub
 * logins are case-insensitive on GitHub.
 */

/** The fields of a person file (or a directory entry, or a retired identity) that say who a human is. */
export interface IdentityClaims {
  uid?: string | undefined;
  email?: string | undefined;
  employeeId?: string | undefined;
  github?: string | undefined;
}

/** The key a human is known by: `employeeId:<id>`, else `uid:<uid>`, else `email:<address>`, all lower-case. */
export type IdentityKey = `employeeId:${string}` | `uid:${string}` | `email:${string}`;

/** `EMP-45678` and `emp-45678` are one employee number, as the directory compares them. */
export function normalizeEmployeeId(id: string): string {
  return id.trim().toLowerCase();
}

/** Email addresses are compared ignoring case (the directory's `mail` is case-insensitive). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** uids are compared ignoring case, like the directory's `uid` and `cn`. */
export function normalizeUid(uid: string): string {
  return uid.toLowerCase();
}

/** GitHub logins are case-insensitive. */
export function normalizeLogin(login: string): string {
  return login.toLowerCase();
}

/**
 * The key of the human behind `claims`: employeeId where present, else uid, else email.
 * @example identityKeyOf({ uid: 'jsmith', employeeId: 'EMP-1' }) // 'employeeId:emp-1'
 */
export function identityKeyOf(claims: IdentityClaims): IdentityKey | undefined {
  if (present(claims.employeeId)) return `employeeId:${normalizeEmployeeId(claims.employeeId)}`;
  if (present(claims.uid)) return `uid:${normalizeUid(claims.uid)}`;
  if (present(claims.email)) return `email:${normalizeEmail(claims.email)}`;
  return undefined;
}

/**
 * Whether two records are the same human. Two employee numbers decide on their own (equal: the
 * same human, whatever else changed; different: two humans, whatever else they share). Without
 * both, any shared identifier (uid, email, GitHub login) links them: a file renamed under a new
 * uid that keeps its email or login is the person it was, and is judged as that person.
 * @example isSameHuman({ uid: 'jsmith', email: 'j@x.org' }, { uid: 'jane', email: 'J@X.org' }) // true
 */
export function isSameHuman(a: IdentityClaims, b: IdentityClaims): boolean {
  if (present(a.employeeId) && present(b.employeeId))
    return normalizeEmployeeId(a.employeeId) === normalizeEmployeeId(b.employeeId);
  return (
    equalBy(a.uid, b.uid, normalizeUid) ||
    equalBy(a.email, b.email, normalizeEmail) ||
    equalBy(a.github, b.github, normalizeLogin)
  );
}

/**
 * Whether two records share an employee number: the strongest link, used where a weaker one
 * (a shared email) must not be enough, e.g. to let a returning employee have their old address.
 */
export function shareEmployeeId(a: IdentityClaims, b: IdentityClaims): boolean {
  return (
    present(a.employeeId) &&
    present(b.employeeId) &&
    normalizeEmployeeId(a.employeeId) === normalizeEmployeeId(b.employeeId)
  );
}

/**
 * The identifier values a record claims, each tagged with its kind, normalized: what two records
 * must not both claim unless they are the same human.
 */
export function claimedIdentifiers(claims: IdentityClaims): Array<{ kind: keyof IdentityClaims; value: string }> {
  const out: Array<{ kind: keyof IdentityClaims; value: string }> = [];
  if (present(claims.employeeId)) out.push({ kind: 'employeeId', value: normalizeEmployeeId(claims.employeeId) });
  if (present(claims.uid)) out.push({ kind: 'uid', value: normalizeUid(claims.uid) });
  if (present(claims.email)) out.push({ kind: 'email', value: normalizeEmail(claims.email) });
  if (present(claims.github)) out.push({ kind: 'github', value: normalizeLogin(claims.github) });
  return out;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

function equalBy(a: string | undefined, b: string | undefined, normalize: (s: string) => string): boolean {
  return present(a) && present(b) && normalize(a) === normalize(b);
}

/**
 * Groups records that may be one human: any shared employeeId, email or GitHub login links two
 * records, and links chain. Used where over-grouping is the safe side (separation of duties
 * across files): two files that share an identifier are judged as one human's access.
 * Returns the groups in the order of their first member; records link in O(n) time.
 * @example groupByHuman([jsmith, jsmithCopy, mjohnson], (p) => p) // [[jsmith, jsmithCopy], [mjohnson]]
 */
export function groupByHuman<T>(records: readonly T[], claimsOf: (record: T) => IdentityClaims): T[][] {
  const parent = records.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const firstWith = new Map<string, number>();
  records.forEach((record, i) => {
    for (const { kind, value } of claimedIdentifiers(claimsOf(record))) {
      if (kind === 'uid') continue; // a uid is its file's name: one file per uid already
      const key = `${kind}:${value}`;
      const other = firstWith.get(key);
      if (other === undefined) firstWith.set(key, i);
      else parent[find(i)] = find(other);
    }
  });
  const groups = new Map<number, T[]>();
  records.forEach((record, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(record);
    else groups.set(root, [record]);
  });
  return [...groups.values()];
}
