/**
 * Who may hold what, reduced to what provisioning depends on: each person's status and grants
 * (with their end). Approval holds compare these states between the last applied commit and the
 * commit being applied, and along the commits in between. Pure.
 */
import type { AccessTree } from '../model/access-tree.js';
import type { Uid } from '../model/types.js';
import { parseLooseYaml } from './parse-loose-yaml.js';

export interface GrantForm {
  system: string;
  role: string;
  /** `YYYY-MM-DD`; absent: no end. */
  expires?: string;
}

export interface PersonAccessState {
  status: string;
  /** Keyed by `system/role`. */
  grants: ReadonlyMap<string, GrantForm>;
}

export type AccessState = ReadonlyMap<Uid, PersonAccessState>;

export function grantKey(grant: { system: string; role: string }): string {
  return `${grant.system}/${grant.role}`;
}

/** The access state of a validated tree. */
export function accessStateOfTree(tree: AccessTree): Map<Uid, PersonAccessState> {
  const out = new Map<Uid, PersonAccessState>();
  for (const [uid, entity] of tree.people) {
    const grants = new Map<string, GrantForm>();
    for (const g of entity.value.grants)
      grants.set(grantKey(g), { system: g.system, role: g.role, ...(g.expires ? { expires: g.expires } : {}) });
    out.set(uid, { status: entity.value.status, grants });
  }
  return out;
}

/**
 * One person file's state from its text as committed, however old: a file that does not parse
 * counts as absent (undefined), since it could not have been applied.
 */
export function personStateOfText(text: string | undefined): PersonAccessState | undefined {
  const v = parseLooseYaml(text) as { status?: unknown; grants?: unknown } | undefined;
  if (!v) return undefined;
  const grants = new Map<string, GrantForm>();
  for (const g of Array.isArray(v.grants) ? (v.grants as unknown[]) : []) {
    if (typeof g !== 'object' || g === null) continue;
    const { system, role, expires } = g as Record<string, unknown>;
    if (typeof system !== 'string' || typeof role !== 'string') continue;
    grants.set(grantKey({ system, role }), {
      system,
      role,
      ...(typeof expires === 'string' ? { expires } : expires instanceof Date ? { expires: isoDay(expires) } : {}),
    });
  }
  return { status: typeof v.status === 'string' ? v.status : 'active', grants };
}

/** Whether `after` ends later than `before` (no end is the latest). */
export function endsLater(before: string | undefined, after: string | undefined): boolean {
  if (before === undefined) return false;
  return after === undefined || after > before;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Members by group, then uid, with the grant that put them there. */
export type PreviouslyGranted = Map<string, Map<Uid, { system: string; role: string }>>;

/**
 * Who the baseline state put in which group (groups as the systems of `tree` name them): a
 * removal of one of these is a revocation; of anyone else, drift.
 */
export function computePreviouslyGranted(state: AccessState, tree: AccessTree): PreviouslyGranted {
  const out: PreviouslyGranted = new Map();
  for (const [uid, person] of state) {
    if (person.status !== 'active') continue;
    for (const grant of person.grants.values()) {
      const system = tree.systems.get(grant.system)?.value;
      const role = system && Object.hasOwn(system.roles, grant.role) ? system.roles[grant.role] : undefined;
      if (!role) continue;
      const members = out.get(role.group) ?? new Map<Uid, { system: string; role: string }>();
      members.set(uid, { system: grant.system, role: grant.role });
      out.set(role.group, members);
    }
  }
  return out;
}
