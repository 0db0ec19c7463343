import type { AccessTree, Entity } from '../model/access-tree.js';
import type { Change, GovernedFile } from './change.js';
import { own } from '../model/own.js';
import { computePersonChanges } from './compute-person-changes.js';
import { changeAt as at, differingFields, firstDifferentLine, unionKeys } from './diff-helpers.js';

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
  changes.push(...computePersonChanges(base.tree, head.tree));
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
  return changes;
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
