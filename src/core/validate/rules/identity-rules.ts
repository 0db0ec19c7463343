import type { Diagnostic } from '../../diagnostics.js';
import { diagnosticAt } from '../../model/access-tree.js';
import type { Entity } from '../../model/access-tree.js';
import type { Person } from '../../model/types.js';
import type { RetiredIdentity, RuleContext } from './context.js';

/** Emails are unique ignoring case; the later file (by path) gets the diagnostic. */
export function checkUniqueEmails({ tree }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, Entity<Person>>();
  for (const person of sortedPeople(tree.people)) {
    const key = person.value.email.toLowerCase();
    const first = seen.get(key);
    if (first) {
      out.push(
        diagnosticAt(
          person,
          ['email'],
          'DUPLICATE_EMAIL',
          `email "${person.value.email}" is already used by ${first.value.uid} (${first.source.path})`,
        ),
      );
    } else seen.set(key, person);
  }
  return out;
}

/**
 * GitHub logins are unique ignoring case (GitHub's own rule); the later file (by path) gets the
 * diagnostic. A login names the human behind a review: two files claiming it would let a new file
 * pose as an approver, or make "the author's manager" and "the subject" ambiguous.
 */
export function checkUniqueGithubLogins({ tree }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, Entity<Person>>();
  for (const person of sortedPeople(tree.people)) {
    const login = person.value.github;
    if (login === undefined) continue;
    const first = seen.get(login.toLowerCase());
    if (first) {
      out.push(
        diagnosticAt(
          person,
          ['github'],
          'DUPLICATE_GITHUB',
          `GitHub login "${login}" is already used by ${first.value.uid} (${first.source.path})`,
        ),
      );
    } else seen.set(login.toLowerCase(), person);
  }
  return out;
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
    if (r.uid) push(byUid, r.uid, r);
    if (r.email) push(byEmail, r.email.toLowerCase(), r);
  }
  for (const person of sortedPeople(tree.people)) {
    const p = person.value;
    const uidOwner = byUid.get(p.uid)?.find((r) => !samePerson(p, r));
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
    const emailOwner = byEmail.get(p.email.toLowerCase())?.find((r) => !samePerson(p, r));
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
  if (r.renamedTo === p.uid) return true;
  if (p.employeeId && r.employeeId) return p.employeeId === r.employeeId;
  return r.uid === p.uid && (r.email === undefined || r.email.toLowerCase() === p.email.toLowerCase());
}

function describe(r: RetiredIdentity): string {
  const who = r.name ?? r.uid ?? r.email ?? 'someone else';
  return r.uid && r.name ? `${who} (${r.uid})` : who;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function sortedPeople(people: Map<string, Entity<Person>>): Entity<Person>[] {
  return [...people.values()].sort((a, b) =>
    a.source.path < b.source.path ? -1 : a.source.path > b.source.path ? 1 : 0,
  );
}
