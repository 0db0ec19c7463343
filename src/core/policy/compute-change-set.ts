import type { AccessTree, Entity } from '../model/access-tree.js';
import type { Change } from './change.js';
import { computeFileChanges } from './compute-file-changes.js';
import type { RepositoryBlobs } from './compute-file-changes.js';
import { compileGovernancePaths } from './governed-paths.js';
import { own } from '../model/own.js';
import { computePersonChanges } from './compute-person-changes.js';
import { changeAt as at, differingFields, firstDifferentLine, unionKeys } from './diff-helpers.js';

/** One side of a pull request: the access tree, and every file of the repository by blob id. */
export interface TreeSide {
  tree: AccessTree;
  blobs: RepositoryBlobs;
  /** The CODEOWNERS GitHub reads on this side, when there is one: its edits are located by line. */
  codeowners?: { path: string; text: string } | undefined;
}

export interface ChangeSetLayout {
  /** The access folder relative to the repository root, e.g. `access`. */
  accessDir: string;
  /** The schemas folder relative to the repository root. Default `schemas`. */
  schemasDir?: string;
}

/**
 * Everything that differs between base and head, in file order. Files whose text is identical
 * are skipped without looking inside, so a large tree with a small change is cheap.
 * A file that is broken in head (failed its schema) is not reported as removed: validation
 * reports it, and a broken file must never look like a revocation. Outside the access files,
 * every governed file of the repository that differs is a change too (`computeFileChanges`),
 * by the BASE policy's idea of what is governed.
 * @example computeChangeSet(base, head, { accessDir: 'access' }) // [{ kind: 'grant-added', subject: 'jsmith', file: 'access/people/jsmith.yaml', line: 24, ... }]
 */
export function computeChangeSet(base: TreeSide, head: TreeSide, layout: ChangeSetLayout): Change[] {
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
  changes.push(
    ...computeFileChanges(base.blobs, head.blobs, {
      accessDir: layout.accessDir,
      schemasDir: layout.schemasDir ?? 'schemas',
      extra: compileGovernancePaths(base.tree.policy?.value.governance?.paths ?? []),
      accessChanges: changes,
    }).map((c) => locateCodeownersEdit(c, base, head)),
  );
  return changes;
}

/** An edit of the CODEOWNERS both sides read is pointed at its first changed line. */
function locateCodeownersEdit(change: Change, base: TreeSide, head: TreeSide): Change {
  const [b, h] = [base.codeowners, head.codeowners];
  if (change.kind !== 'codeowners-changed' || !b || !h || b.path !== change.file || h.path !== change.file)
    return change;
  return { ...change, line: firstDifferentLine(b.text, h.text) };
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
