import type { AccessTree } from '../model/access-tree.js';
import { groupByHuman } from '../model/identity.js';
import { own } from '../model/own.js';
import type { Grant, Person } from '../model/types.js';
import type { BlockReason } from './requirement.js';

/**
 * Why giving `grant` to `person` (as in head) is refused whatever the approvals: an external
 * person and a role that is not an external profile or is privileged in BASE, no justification,
 * a bad sponsor; or a separation-of-duties pair the HUMAN would hold, across every active head
 * file that shares one of their identifiers.
 */
export function grantProblems(
  grant: Grant,
  person: Person | undefined,
  base: AccessTree,
  head: AccessTree,
  external: boolean,
): BlockReason[] {
  const blocked: BlockReason[] = [];
  const key = `${grant.system}/${grant.role}`;
  if (external) {
    const role = own(base.systems.get(grant.system)?.value.roles, grant.role);
    if (!role || role.privileged || !role.external) blocked.push('PRIVILEGE_ESCALATION');
    if (!grant.justification?.trim()) blocked.push('EXTERNAL_NO_JUSTIFICATION');
    if (person) blocked.push(...sponsorProblems(person, base, head, true));
  }
  if (person && person.status === 'active') {
    const held = heldByHuman(head, person);
    const rules = base.policy?.value.separationOfDuties ?? [];
    if (rules.some((r) => r.roles.includes(key) && r.roles.every((role) => held.has(role))))
      blocked.push('SOD_CONFLICT');
  }
  return blocked;
}

/** An external person's sponsor must be an active employee in base and stay one in head. */
export function sponsorProblems(person: Person, base: AccessTree, head: AccessTree, external: boolean): BlockReason[] {
  if (!external || person.status !== 'active') return [];
  if (person.sponsor === undefined) return ['EXTERNAL_NO_SPONSOR'];
  const ok = (p: Person | undefined): boolean => p !== undefined && p.type === 'employee' && p.status === 'active';
  return ok(base.people.get(person.sponsor)?.value) && ok(head.people.get(person.sponsor)?.value)
    ? []
    : ['EXTERNAL_BAD_SPONSOR'];
}

// One index per head tree: the roles each active human holds, by the uid of each of their files.
const holdings = new WeakMap<AccessTree, Map<string, Set<string>>>();

/** Every `system/role` the human behind `person` holds in head, over all their active files. */
function heldByHuman(head: AccessTree, person: Person): Set<string> {
  let index = holdings.get(head);
  if (index === undefined) {
    index = new Map();
    const active = [...head.people.values()].map((e) => e.value).filter((p) => p.status === 'active');
    for (const human of groupByHuman(active, (p) => p)) {
      const roles = new Set(human.flatMap((p) => p.grants.map((g) => `${g.system}/${g.role}`)));
      for (const p of human) index.set(p.uid, roles);
    }
    holdings.set(head, index);
  }
  return index.get(person.uid) ?? new Set(person.grants.map((g) => `${g.system}/${g.role}`));
}
