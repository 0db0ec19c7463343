import type { AccessTree } from '../model/access-tree.js';
import type { PersonChange } from './compute-grant-changes.js';
import { describeChange, groupOf } from './compute-person-report.js';
import type { ApprovalStep, CommitView, RequestTimeline } from './compute-request-timelines.js';

export interface SystemAccessChange {
  requestId: number | null;
  uid: string;
  change: string;
  accessLevel: string;
  requester: string;
  approvalChain: ApprovalStep[];
  merge: CommitView | null;
  /** When it reached the directory (first completed apply after the merge). */
  appliedAt: string | null;
  status: string;
}

export interface SystemReport {
  kind: 'system';
  id: string;
  name: string | null;
  risk: string | null;
  owners: string[];
  roles: Array<{ role: string; group: string; privileged: boolean; external: boolean; holders: string[] }>;
  /** Grants of this system given or taken away, newest first. */
  accessChanges: SystemAccessChange[];
  /** Requests that changed the system's own file (roles, groups, risk). */
  definitionChanges: Array<{ requestId: number | null; commit: string; date: string; status: string }>;
}

/**
 * One system: its roles and who holds each now (from the tree), and every request that gave
 * or took away one of its roles (`changes`: landing commit -> uid -> what changed).
 */
export function computeSystemReport(
  id: string,
  input: {
    tree: AccessTree;
    timelines: readonly RequestTimeline[];
    changes: ReadonlyMap<string, ReadonlyMap<string, PersonChange[]>>;
    accessRoot?: string;
  },
): SystemReport {
  const { tree } = input;
  const system = tree.systems.get(id)?.value;
  const holders = (role: string): string[] =>
    [...tree.people.values()]
      .filter((p) => p.value.status === 'active' && p.value.grants.some((g) => g.system === id && g.role === role))
      .map((p) => p.value.uid)
      .sort();
  const systemFile = `${(input.accessRoot ?? 'access').replace(/\/+$/, '')}/systems/${id}.yaml`;
  const accessChanges: SystemAccessChange[] = [];
  const definitionChanges: SystemReport['definitionChanges'] = [];
  for (const t of input.timelines) {
    if (!t.merge) continue;
    if (t.files.some((f) => f.path === systemFile))
      definitionChanges.push({ requestId: t.requestId, commit: t.merge.commit, date: t.merge.date, status: t.status });
    for (const [uid, changes] of input.changes.get(t.merge.commit) ?? []) {
      for (const c of changes) {
        if (
          (c.change === 'grant-added' || c.change === 'grant-removed' || c.change === 'grant-changed') &&
          c.system === id
        ) {
          accessChanges.push({
            requestId: t.requestId,
            uid,
            change: describeChange(c),
            accessLevel: c.role,
            requester: t.requester,
            approvalChain: t.approvalChain,
            merge: t.merge,
            appliedAt: t.provisionedAt,
            status: c.change === 'grant-removed' && t.status === 'provisioned' ? 'revoked' : t.status,
          });
        }
      }
    }
  }
  return {
    kind: 'system',
    id,
    name: system?.name ?? null,
    risk: system?.risk ?? null,
    owners: system?.owners ?? [],
    roles: Object.entries(system?.roles ?? {}).map(([role, r]) => ({
      role,
      group: groupOf(tree, id, role) ?? r.group,
      privileged: r.privileged === true,
      external: r.external === true,
      holders: holders(role),
    })),
    accessChanges,
    definitionChanges,
  };
}
