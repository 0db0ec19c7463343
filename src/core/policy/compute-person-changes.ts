import { canonicalJson } from '../audit/hash-chain.js';
import type { AccessTree, Entity } from '../model/access-tree.js';
import { isSameHuman, normalizeEmail, shareEmployeeId } from '../model/identity.js';
import { parseCalendarDate, parseExpiry } from '../model/time.js';
import type { Grant, Person } from '../model/types.js';
import type { Change } from './change.js';
import { changeAt, differingFields } from './diff-helpers.js';

/**
 * The changes to people between base and head, judged per human, not per file.
 *
 * A file removed from base and a file added in head that are the same human (same employeeId;
 * without both, the same email or GitHub login: `isSameHuman`) are ONE person edited in place:
 * a rename or move (`git mv`, a new uid). Its changes are exactly those of the same edit made to
 * the base file (identity fields, status, grants), with `predecessor` naming the base uid, so the
 * base person's approvers judge it and a rename never picks new approvers or drops the external
 * rules. A file added beside a base file of the same human (a returning person's new file next
 * to the old one) is linked to it the same way. Files whose text is identical are skipped
 * without looking inside.
 * @example computePersonChanges(base, head) // [{ kind: 'person-identity-changed', subject: 'jane', predecessor: 'jsmith', fields: ['uid'], ... }]
 */
export function computePersonChanges(base: AccessTree, head: AccessTree): Change[] {
  const removed: Entity<Person>[] = [];
  const added: Entity<Person>[] = [];
  const changes = new Map<string, Change[]>();
  for (const uid of [...new Set([...base.people.keys(), ...head.people.keys()])].sort()) {
    const b = base.people.get(uid);
    const h = head.people.get(uid);
    if (b && h) {
      if (b.source.text !== h.source.text) changes.set(uid, diffPerson(b, h));
    } else if (b) {
      // A file broken in head is reported by validation; it must never look like a revocation.
      if (!head.broken.people.has(uid)) removed.push(b);
    } else if (h) added.push(h);
  }
  const pairs = pairRenames(removed, added);
  for (const h of added) {
    const b = pairs.get(h);
    if (b) changes.set(h.value.uid, diffPerson(b, h));
    else changes.set(h.value.uid, newPerson(h, sameHumanIn(base, h.value)));
  }
  const paired = new Set(pairs.values());
  for (const b of removed)
    if (!paired.has(b))
      changes.set(b.value.uid, [{ ...changeAt(b, [], 'person-removed', b.value.uid), person: b.value.uid }]);
  return [...changes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).flatMap(([, list]) => list);
}

/**
 * Pairs each added file with a removed file of the same human, at most one each. An employeeId
 * match is preferred over an email match, and that over a login match, so a rename that also
 * takes someone's login is still paired with the file whose employee it is.
 */
function pairRenames(removed: Entity<Person>[], added: Entity<Person>[]): Map<Entity<Person>, Entity<Person>> {
  const pairs = new Map<Entity<Person>, Entity<Person>>();
  if (removed.length === 0 || added.length === 0) return pairs;
  const free = new Set(removed);
  const strength = (b: Person, h: Person): number =>
    shareEmployeeId(b, h) ? 3 : !isSameHuman(b, h) ? 0 : normalizeEmail(b.email) === normalizeEmail(h.email) ? 2 : 1;
  for (const h of added) {
    let best: Entity<Person> | undefined;
    let bestStrength = 0;
    for (const b of free) {
      const s = strength(b.value, h.value);
      if (s > bestStrength) [best, bestStrength] = [b, s];
    }
    if (best) {
      pairs.set(h, best);
      free.delete(best);
    }
  }
  return pairs;
}

/** The base file of the same human as a new file, when one is still there: employeeId first, then any shared identifier. */
function sameHumanIn(base: AccessTree, person: Person): string | undefined {
  let weaker: string | undefined;
  for (const { value } of base.people.values()) {
    if (shareEmployeeId(value, person)) return value.uid;
    if (weaker === undefined && isSameHuman(value, person)) weaker = value.uid;
  }
  return weaker;
}

function newPerson(h: Entity<Person>, predecessor: string | undefined): Change[] {
  const person = h.value;
  const link = predecessor === undefined ? {} : { predecessor };
  return [
    { ...changeAt(h, [], 'person-added', person.uid), person: person.uid, ...link },
    ...person.grants.map((grant, i) => ({
      ...changeAt(h, ['grants', i], 'grant-added', person.uid),
      person: person.uid,
      ...link,
      grant,
    })),
  ];
}

/** The changes that turn base file `b` into head file `h` (the same human; the same uid unless renamed). */
function diffPerson(b: Entity<Person>, h: Entity<Person>): Change[] {
  const out: Change[] = [];
  const uid = h.value.uid;
  const link = {
    ...(b.value.uid === uid ? {} : { predecessor: b.value.uid }),
    ...(b.source.path === h.source.path ? {} : { previousPath: b.source.path }),
  };
  const [before, after] = [b.value, h.value];
  const fields = differingFields(before, after, ['grants', 'status']);
  if (fields.length > 0)
    out.push({ ...changeAt(h, [fields[0]!], 'person-identity-changed', uid), person: uid, ...link, fields });
  if (before.status !== after.status) {
    out.push({
      ...changeAt(h, ['status'], 'person-status-changed', uid),
      person: uid,
      ...link,
      from: before.status,
      to: after.status,
    });
  }
  const baseGrants = grantIndex(before.grants);
  const headGrants = grantIndex(after.grants);
  for (const [key, { grant, index }] of headGrants) {
    const old = baseGrants.get(key);
    if (!old) {
      out.push({ ...changeAt(h, ['grants', index], 'grant-added', uid), person: uid, ...link, grant });
    } else if (canonicalJson(old.grant) !== canonicalJson(grant)) {
      const kind = widens(old.grant, grant) ? 'grant-extended' : 'grant-changed';
      out.push({
        ...changeAt(h, ['grants', index], kind, uid),
        person: uid,
        ...link,
        grant,
        fields: differingFields(old.grant, grant, []),
      });
    }
  }
  for (const [key, { grant, index }] of baseGrants) {
    if (!headGrants.has(key))
      out.push({ ...changeAt(b, ['grants', index], 'grant-removed', uid), person: uid, ...link, grant });
  }
  return out;
}

/** A later (or no) expiry, an earlier (or no) start, or an emergency grant made ordinary, gives access it did not have. */
function widens(before: Grant, after: Grant): boolean {
  if (before.emergency && !after.emergency) return true;
  if (startsEarlier(before.starts, after.starts)) return true;
  if (before.expires === undefined) return false;
  if (after.expires === undefined) return true;
  const [b, a] = [parseExpiry(before.expires), parseExpiry(after.expires)];
  return a === undefined || b === undefined || a > b;
}

/** Whether moving a grant's start from `before` to `after` (undefined: no start, at once) gives access sooner. */
function startsEarlier(before: string | undefined, after: string | undefined): boolean {
  if (before === undefined) return false;
  if (after === undefined) return true;
  const [b, a] = [parseCalendarDate(before), parseCalendarDate(after)];
  return a === undefined || b === undefined || a < b;
}

function grantIndex(grants: readonly Grant[]): Map<string, { grant: Grant; index: number }> {
  const index = new Map<string, { grant: Grant; index: number }>();
  grants.forEach((grant, i) => {
    const key = `${grant.system}/${grant.role}`;
    if (!index.has(key)) index.set(key, { grant, index: i });
  });
  return index;
}
