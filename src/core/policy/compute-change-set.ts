import { canonicalJson } from '../audit/hash-chain.js';
import type { AccessTree, Entity } from '../model/access-tree.js';
import { parseExpiry } from '../model/time.js';
import type { Grant, Person } from '../model/types.js';
import { locate } from '../source.js';
import type { PathSegment } from '../source.js';
import type { Change, ChangeAt, ChangeKind, GovernedFile } from './change.js';
import { own } from '../model/own.js';

/** One side of a pull request: the access tree and the governed files outside it. */
export interface TreeSide {
  tree: AccessTree;
  governed: readonly GovernedFile[];
}

/**
 * Everything that differs between base and head, in file order. Files whose text is identical
 * are skipped without looking inside, so a large tree with a small change is cheap.
 * A file that is broken in head (failed its schema) is not reported as removed: validation
 * reports it, and a broken file must never look like a revocation.
 * @example computeChangeSet(base, head) // [{ kind: 'grant-added', subject: 'jsmith', file: 'access/people/jsmith.yaml', line: 24, ... }]
 */
export function computeChangeSet(base: TreeSide, head: TreeSide): Change[] {
  const changes: Change[] = [];
  diffEntities(base.tree.people, head.tree.people, head.tree.broken.people, changes, personChanges);
  diffEntities(base.tree.systems, head.tree.systems, head.tree.broken.systems, changes, (b, h, out) => {
    if (!b) return out.push(at(h!, [], 'system-added', h!.value.id));
    if (!h) return out.push(at(b, [], 'system-removed', b.value.id));
    const fields = differingFields(b.value, h.value, ['roles']);
    if (fields.length > 0) out.push({ ...at(h, [fields[0]!], 'system-changed', h.value.id), fields });
    const id = h.value.id;
    for (const role of unionKeys(b.value.roles, h.value.roles)) {
      const br = own(b.value.roles, role);
      const hr = own(h.value.roles, role);
      if (!br) out.push(at(h, ['roles', role], 'role-added', `${id}/${role}`, true));
      else if (!hr) out.push(at(b, ['roles', role], 'role-removed', `${id}/${role}`, true));
      else {
        const roleFields = differingFields(br, hr, []);
        if (roleFields.length > 0)
          out.push({ ...at(h, ['roles', role], 'role-changed', `${id}/${role}`, true), fields: roleFields });
      }
    }
  });
  diffEntities(base.tree.orgs, head.tree.orgs, head.tree.broken.orgs, changes, (b, h, out) => {
    if (!b) return out.push(at(h!, [], 'org-added', h!.value.id));
    if (!h) return out.push(at(b, [], 'org-removed', b.value.id));
    const fields = differingFields(b.value, h.value, []);
    if (fields.length > 0) out.push({ ...at(h, [fields[0]!], 'org-changed', h.value.id), fields });
  });
  const bp = base.tree.policy;
  const hp = head.tree.policy;
  if (bp && hp && bp.source.text !== hp.source.text) {
    const fields = differingFields(bp.value, hp.value, []);
    // Comments and layout alone still change the file that CODEOWNERS protects.
    const first = fields[0];
    changes.push({
      ...(first ? at(hp, [first], 'policy-changed', hp.source.path) : at(hp, [], 'policy-changed', hp.source.path)),
      fields,
    });
  } else if (bp && !hp && !head.tree.broken.policy) {
    changes.push(at(bp, [], 'policy-changed', bp.source.path));
  } else if (!bp && hp) {
    changes.push(at(hp, [], 'policy-changed', hp.source.path));
  }
  changes.push(...governedChanges(base.governed, head.governed));
  linkPredecessors(changes, base.tree, head.tree);
  return changes;
}

/**
 * Marks the changes of a person added under a new uid with the base uid of the same human: the
 * same `employeeId`, or the same GitHub login (ignoring case). The indexes are built only when a
 * person is added, so an ordinary pull request pays nothing.
 */
function linkPredecessors(changes: Change[], base: AccessTree, head: AccessTree): void {
  const added = changes.filter(
    (c): c is Extract<Change, { person: string }> => c.person !== undefined && !base.people.has(c.person),
  );
  if (added.length === 0) return;
  const byEmployeeId = new Map<string, string>();
  const byLogin = new Map<string, string>();
  for (const { value } of base.people.values()) {
    if (value.employeeId !== undefined && !byEmployeeId.has(value.employeeId))
      byEmployeeId.set(value.employeeId, value.uid);
    if (value.github !== undefined && !byLogin.has(value.github.toLowerCase()))
      byLogin.set(value.github.toLowerCase(), value.uid);
  }
  for (const change of added) {
    const person = head.people.get(change.person)?.value;
    const predecessor =
      (person?.employeeId === undefined ? undefined : byEmployeeId.get(person.employeeId)) ??
      (person?.github === undefined ? undefined : byLogin.get(person.github.toLowerCase()));
    if (predecessor !== undefined) change.predecessor = predecessor;
  }
}

type Differ<T> = (base: Entity<T> | undefined, head: Entity<T> | undefined, out: Change[]) => void;

function diffEntities<T>(
  base: Map<string, Entity<T>>,
  head: Map<string, Entity<T>>,
  brokenInHead: Set<string>,
  out: Change[],
  differ: Differ<T>,
): void {
  const ids = [...new Set([...base.keys(), ...head.keys()])].sort();
  for (const id of ids) {
    const b = base.get(id);
    const h = head.get(id);
    if (b && h && b.source.text === h.source.text) continue;
    if (b && !h && brokenInHead.has(id)) continue;
    differ(b, h, out);
  }
}

function personChanges(b: Entity<Person> | undefined, h: Entity<Person> | undefined, out: Change[]): void {
  if (!b) {
    const person = h!.value;
    out.push({ ...at(h!, [], 'person-added', person.uid), person: person.uid });
    person.grants.forEach((grant, i) =>
      out.push({ ...at(h!, ['grants', i], 'grant-added', person.uid), person: person.uid, grant }),
    );
    return;
  }
  const uid = b.value.uid;
  if (!h) {
    out.push({ ...at(b, [], 'person-removed', uid), person: uid });
    return;
  }
  const [before, after] = [b.value, h.value];
  const fields = differingFields(before, after, ['grants', 'status']);
  if (fields.length > 0) out.push({ ...at(h, [fields[0]!], 'person-identity-changed', uid), person: uid, fields });
  if (before.status !== after.status) {
    out.push({
      ...at(h, ['status'], 'person-status-changed', uid),
      person: uid,
      from: before.status,
      to: after.status,
    });
  }
  const baseGrants = grantIndex(before.grants);
  const headGrants = grantIndex(after.grants);
  for (const [key, { grant, index }] of headGrants) {
    const old = baseGrants.get(key);
    if (!old) {
      out.push({ ...at(h, ['grants', index], 'grant-added', uid), person: uid, grant });
    } else if (canonicalJson(old.grant) !== canonicalJson(grant)) {
      const kind = widens(old.grant, grant) ? 'grant-extended' : 'grant-changed';
      out.push({
        ...at(h, ['grants', index], kind, uid),
        person: uid,
        grant,
        fields: differingFields(old.grant, grant, []),
      });
    }
  }
  for (const [key, { grant, index }] of baseGrants) {
    if (!headGrants.has(key)) out.push({ ...at(b, ['grants', index], 'grant-removed', uid), person: uid, grant });
  }
}

/** A later (or no) expiry, or an emergency grant made ordinary, gives access it did not have. */
function widens(before: Grant, after: Grant): boolean {
  if (before.emergency && !after.emergency) return true;
  if (before.expires === undefined) return false;
  if (after.expires === undefined) return true;
  const [b, a] = [parseExpiry(before.expires), parseExpiry(after.expires)];
  return a === undefined || b === undefined || a > b;
}

function grantIndex(grants: readonly Grant[]): Map<string, { grant: Grant; index: number }> {
  const index = new Map<string, { grant: Grant; index: number }>();
  grants.forEach((grant, i) => {
    const key = `${grant.system}/${grant.role}`;
    if (!index.has(key)) index.set(key, { grant, index: i });
  });
  return index;
}

function governedChanges(base: readonly GovernedFile[], head: readonly GovernedFile[]): Change[] {
  const byPath = new Map(base.map((f) => [f.path, f]));
  const headPaths = new Set(head.map((f) => f.path));
  const out: Change[] = [];
  for (const file of head) {
    const old = byPath.get(file.path);
    if (old && old.text === file.text) continue;
    out.push({
      kind: `${file.kind}-changed`,
      subject: file.path,
      file: file.path,
      line: old ? firstDifferentLine(old.text, file.text) : 1,
    });
  }
  for (const file of base) {
    if (!headPaths.has(file.path))
      out.push({ kind: `${file.kind}-changed`, subject: file.path, file: file.path, line: 1 });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** 1-based number of the first line that differs. */
export function firstDifferentLine(a: string, b: string): number {
  const [la, lb] = [a.split('\n'), b.split('\n')];
  for (let i = 0; i < Math.max(la.length, lb.length); i++) if (la[i] !== lb[i]) return i + 1;
  return 1;
}

function differingFields(a: object, b: object, ignore: readonly string[]): string[] {
  const av = a as Record<string, unknown>;
  const bv = b as Record<string, unknown>;
  return unionKeys(av, bv).filter((k) => !ignore.includes(k) && canonicalJson(av[k]) !== canonicalJson(bv[k]));
}

function unionKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function at<K extends ChangeKind>(
  entity: Entity<unknown>,
  path: readonly PathSegment[],
  kind: K,
  subject: string,
  key = false,
): ChangeAt & { kind: K } {
  return { kind, subject, file: entity.source.path, line: locate(entity.source, path, { key }).line };
}
