import type { Diagnostic, DiagnosticCode } from '../../diagnostics.js';
import { diagnosticAt } from '../../model/access-tree.js';
import type { Entity } from '../../model/access-tree.js';
import {
  normalizeEmail,
  normalizeEmployeeId,
  normalizeLogin,
  normalizeUid,
  shareEmployeeId,
} from '../../model/identity.js';
import type { Person } from '../../model/types.js';
import type { PathSegment } from '../../source.js';
import type { RetiredIdentity, RuleContext } from './context.js';

/** One file claiming one identifier: as its current value, or as a former one it keeps reserved. */
interface Claim {
  person: Entity<Person>;
  path: PathSegment[];
  value: string;
  former: boolean;
}

/**
 * Two person files may claim the same identifier only when they are provably one human coming
 * back: they share an employeeId and at most one of them is not `deleted` (the old file is the
 * tombstone of the new one). Anything else would give one human two directory entries, or let a
 * new file take over someone else's entry, login or mailbox.
 */
function mayShare(a: Person, b: Person): boolean {
  return shareEmployeeId(a, b) && (a.status === 'deleted' || b.status === 'deleted');
}

/**
 * Reports the second claim of each identifier (files in path order, current values before former
 * ones, so the diagnostic lands on the file that came later and on the value that repeats).
 */
function checkClaims(
  claims: Claim[],
  codeFor: (first: Claim, second: Claim) => DiagnosticCode,
  describe: (first: Claim, second: Claim) => string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, Claim>();
  const ordered = [...claims].sort(
    (a, b) => Number(a.former) - Number(b.former) || comparePaths(a.person.source.path, b.person.source.path),
  );
  for (const claim of ordered) {
    const first = seen.get(claim.value);
    if (first === undefined) {
      seen.set(claim.value, claim);
      continue;
    }
    if (first.person === claim.person || mayShare(first.person.value, claim.person.value)) continue;
    out.push(diagnosticAt(claim.person, claim.path, codeFor(first, claim), describe(first, claim)));
  }
  return out;
}

/**
 * An employeeId names one human: two person files claiming it (ignoring case, as the directory
 * compares `employeeNumber`) are an error at the second file's value. Otherwise a file could take
 * over the directory entry, and the access, of the human whose number it copies.
 */
export function checkUniqueEmployeeIds({ tree }: RuleContext): Diagnostic[] {
  const claims: Claim[] = [];
  for (const person of tree.people.values()) {
    const id = person.value.employeeId;
    if (id !== undefined) claims.push({ person, path: ['employeeId'], value: normalizeEmployeeId(id), former: false });
  }
  return checkClaims(
    claims,
    () => 'DUPLICATE_EMPLOYEE_ID',
    (first, second) =>
      `employeeId "${second.person.value.employeeId}" is already the employeeId of ${owner(first)}; one human has one person file (a returning person keeps theirs, or the old one stays with status: deleted)`,
  );
}

/**
 * Emails are unique ignoring case, across current and former addresses; the later file (by path)
 * gets the diagnostic. A former address of one file that is another's address is a reuse.
 */
export function checkUniqueEmails({ tree }: RuleContext): Diagnostic[] {
  const claims: Claim[] = [];
  for (const person of tree.people.values()) {
    claims.push({ person, path: ['email'], value: normalizeEmail(person.value.email), former: false });
    (person.value.formerEmails ?? []).forEach((email, i) =>
      claims.push({ person, path: ['formerEmails', i], value: normalizeEmail(email), former: true }),
    );
  }
  return checkClaims(
    claims,
    (first, second) => (first.former || second.former ? 'EMAIL_REUSED' : 'DUPLICATE_EMAIL'),
    (first, second) =>
      first.former || second.former
        ? `email "${second.value}" ${first.former ? 'was' : 'is'} the address of ${owner(first)}; addresses are never given to anyone else`
        : `email "${second.person.value.email}" is already used by ${owner(first)}`,
  );
}

/**
 * A uid kept under `formerUids` stays reserved for that person: another file may not have it as
 * its uid or keep it too.
 */
export function checkFormerUids({ tree }: RuleContext): Diagnostic[] {
  const claims: Claim[] = [];
  for (const person of tree.people.values()) {
    claims.push({ person, path: ['uid'], value: normalizeUid(person.value.uid), former: false });
    (person.value.formerUids ?? []).forEach((uid, i) =>
      claims.push({ person, path: ['formerUids', i], value: normalizeUid(uid), former: true }),
    );
  }
  return checkClaims(
    claims,
    () => 'UID_REUSED',
    (first, second) =>
      `uid "${second.value}" ${first.former ? 'was' : 'is'} the uid of ${owner(first)}; identifiers are never given to anyone else`,
  );
}

/**
 * GitHub logins are unique ignoring case (GitHub's own rule); the later file (by path) gets the
 * diagnostic. A login names the human behind a review: two files claiming it would let a new file
 * pose as an approver, or make "the author's manager" and "the subject" ambiguous.
 */
export function checkUniqueGithubLogins({ tree }: RuleContext): Diagnostic[] {
  const claims: Claim[] = [];
  for (const person of tree.people.values()) {
    const login = person.value.github;
    if (login !== undefined) claims.push({ person, path: ['github'], value: normalizeLogin(login), former: false });
  }
  return checkClaims(
    claims,
    () => 'DUPLICATE_GITHUB',
    (first, second) => `GitHub login "${second.person.value.github}" is already used by ${owner(first)}`,
  );
}

/**
 * A uid or email that belonged to someone else is never given out again (NIST SP 800-171 3.5.5).
 * The same person coming back (same employeeId, or same uid and email) may have theirs again.
 */
export function checkIdentifierReuse({ tree, retired }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (retired.length === 0) return out;
  const byUid = new Map<string, RetiredIdentity[]>();
  const byEmail = new Map<string, RetiredIdentity[]>();
  for (const r of retired) {
    if (r.uid) push(byUid, normalizeUid(r.uid), r);
    if (r.email) push(byEmail, normalizeEmail(r.email), r);
  }
  for (const person of sortedPeople(tree.people)) {
    const p = person.value;
    const uidOwner = byUid.get(normalizeUid(p.uid))?.find((r) => !samePerson(p, r));
    if (uidOwner) {
      out.push(
        diagnosticAt(
          person,
          ['uid'],
          'UID_REUSED',
          `uid "${p.uid}" belonged to ${describe(uidOwner)} (${uidOwner.evidence}); identifiers are never reused: choose another uid`,
        ),
      );
    }
    const emailOwner = byEmail.get(normalizeEmail(p.email))?.find((r) => !samePerson(p, r));
    if (emailOwner) {
      out.push(
        diagnosticAt(
          person,
          ['email'],
          'EMAIL_REUSED',
          `email "${p.email}" belonged to ${describe(emailOwner)} (${emailOwner.evidence}); addresses are never reused`,
        ),
      );
    }
  }
  return out;
}

function samePerson(p: Person, r: RetiredIdentity): boolean {
  if (r.renamedTo !== undefined && normalizeUid(r.renamedTo) === normalizeUid(p.uid)) return true;
  if (p.employeeId && r.employeeId) return normalizeEmployeeId(p.employeeId) === normalizeEmployeeId(r.employeeId);
  const uids = [p.uid, ...(p.formerUids ?? [])].map(normalizeUid);
  const emails = [p.email, ...(p.formerEmails ?? [])].map(normalizeEmail);
  return (
    r.uid !== undefined &&
    uids.includes(normalizeUid(r.uid)) &&
    (r.email === undefined || emails.includes(normalizeEmail(r.email)))
  );
}

function describe(r: RetiredIdentity): string {
  const who = r.name ?? r.uid ?? r.email ?? 'someone else';
  return r.uid && r.name ? `${who} (${r.uid})` : who;
}

function owner(claim: Claim): string {
  return `${claim.person.value.uid} (${claim.person.source.path})`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedPeople(people: Map<string, Entity<Person>>): Entity<Person>[] {
  return [...people.values()].sort((a, b) => comparePaths(a.source.path, b.source.path));
}
