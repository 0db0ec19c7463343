import type { Diagnostic } from '../../diagnostics.js';
import { diagnosticAt } from '../../model/access-tree.js';
import type { AccessTree, Entity } from '../../model/access-tree.js';
import type { Person } from '../../model/types.js';
import type { RuleContext } from './context.js';
import { sortedPeople } from './identity-rules.js';
import { hasOwn } from '../../model/own.js';

/** Every manager, sponsor, org, department, system and role a person names exists. */
export function checkPersonReferences({ tree }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const policy = tree.policy?.value;
  for (const person of sortedPeople(tree.people)) {
    const p = person.value;
    if (p.manager !== undefined) {
      const manager = tree.people.get(p.manager);
      if (!manager && !tree.broken.people.has(p.manager)) {
        out.push(
          diagnosticAt(person, ['manager'], 'UNKNOWN_MANAGER', `manager "${p.manager}" is not a person in people/`),
        );
      } else if (manager && manager.value.status !== 'active' && p.status === 'active') {
        out.push(
          diagnosticAt(
            person,
            ['manager'],
            'INACTIVE_REFERENCE',
            `manager "${p.manager}" is ${manager.value.status}; assign an active manager`,
            { severity: 'warning' },
          ),
        );
      }
    }
    if (p.sponsor !== undefined && !tree.people.has(p.sponsor) && !tree.broken.people.has(p.sponsor)) {
      out.push(
        diagnosticAt(person, ['sponsor'], 'UNKNOWN_SPONSOR', `sponsor "${p.sponsor}" is not a person in people/`),
      );
    }
    if (p.org !== undefined && !tree.orgs.has(p.org) && !tree.broken.orgs.has(p.org)) {
      out.push(diagnosticAt(person, ['org'], 'UNKNOWN_ORG', `organization "${p.org}" is not declared in orgs/`));
    }
    if (p.department !== undefined && policy && !hasOwn(policy.departments, p.department)) {
      out.push(
        diagnosticAt(
          person,
          ['department'],
          'UNKNOWN_DEPARTMENT',
          `department "${p.department}" is not declared in the policy; known: ${Object.keys(policy.departments).join(', ') || 'none'}`,
        ),
      );
    }
    out.push(...checkGrantReferences(tree, person));
  }
  return out;
}

function checkGrantReferences(tree: AccessTree, person: Entity<Person>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const held = new Map<string, number>();
  person.value.grants.forEach((grant, i) => {
    const system = tree.systems.get(grant.system);
    if (!system) {
      if (!tree.broken.systems.has(grant.system)) {
        out.push(
          diagnosticAt(
            person,
            ['grants', i, 'system'],
            'UNKNOWN_SYSTEM',
            `system "${grant.system}" is not declared in systems/; known: ${[...tree.systems.keys()].sort().join(', ')}`,
          ),
        );
      }
    } else if (!hasOwn(system.value.roles, grant.role)) {
      out.push(
        diagnosticAt(
          person,
          ['grants', i, 'role'],
          'UNKNOWN_ROLE',
          `role "${grant.role}" is not defined in system "${grant.system}"; its roles are ${Object.keys(system.value.roles).join(', ')}`,
        ),
      );
    }
    const key = `${grant.system}/${grant.role}`;
    const first = held.get(key);
    if (first !== undefined) {
      out.push(diagnosticAt(person, ['grants', i], 'DUPLICATE_GRANT', `${key} is already granted at grants[${first}]`));
    } else held.set(key, i);
  });
  return out;
}

/** Managers form a tree: following `manager` never comes back to where it started. */
export function checkManagerCycles({ tree }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of [...tree.people.keys()].sort()) {
    if (state.has(start)) continue;
    const chain: string[] = [];
    let uid: string | undefined = start;
    while (uid !== undefined && tree.people.has(uid) && !state.has(uid)) {
      state.set(uid, 'visiting');
      chain.push(uid);
      uid = tree.people.get(uid)!.value.manager;
    }
    if (uid !== undefined && state.get(uid) === 'visiting') {
      const cycle = chain.slice(chain.indexOf(uid));
      // Report the cycle once, at the alphabetically first member, so output is stable.
      const first = [...cycle].sort()[0]!;
      const at = cycle.indexOf(first);
      const rotated = [...cycle.slice(at), ...cycle.slice(0, at), first];
      out.push(
        diagnosticAt(
          tree.people.get(first)!,
          ['manager'],
          'MANAGER_CYCLE',
          `manager chain loops: ${rotated.join(' -> ')}`,
        ),
      );
    }
    for (const u of chain) state.set(u, 'done');
  }
  return out;
}

/** Names inside the policy (department heads, level people, tier levels, SoD roles) exist. */
export function checkPolicyReferences({ tree }: RuleContext): Diagnostic[] {
  const entity = tree.policy;
  if (!entity) return [];
  const policy = entity.value;
  const out: Diagnostic[] = [];
  const personExists = (uid: string): boolean => tree.people.has(uid) || tree.broken.people.has(uid);
  const level = (id: string, path: (string | number)[]): void => {
    if (!hasOwn(policy.levels, id))
      out.push(
        diagnosticAt(
          entity,
          path,
          'UNKNOWN_LEVEL',
          `level "${id}" is not declared under levels; known: ${Object.keys(policy.levels).join(', ')}`,
        ),
      );
  };

  for (const [id, department] of Object.entries(policy.departments)) {
    if (!personExists(department.head))
      out.push(
        diagnosticAt(
          entity,
          ['departments', id, 'head'],
          'UNKNOWN_PERSON',
          `department head "${department.head}" is not a person in people/`,
        ),
      );
  }
  for (const [id, lvl] of Object.entries(policy.levels)) {
    lvl.approvers.forEach((source, i) => {
      if (typeof source === 'object' && 'people' in source) {
        source.people.forEach((uid, j) => {
          if (!personExists(uid))
            out.push(
              diagnosticAt(
                entity,
                ['levels', id, 'approvers', i, 'people', j],
                'UNKNOWN_PERSON',
                `"${uid}" is not a person in people/`,
              ),
            );
        });
      }
    });
  }
  for (const [tier, definition] of Object.entries(policy.tiers)) {
    definition.levels.forEach((id, i) => level(id, ['tiers', tier, 'levels', i]));
  }
  if (policy.external) level(policy.external.level, ['external', 'level']);
  if (policy.emergency) level(policy.emergency.level, ['emergency', 'level']);
  policy.separationOfDuties.forEach((rule, i) => {
    rule.roles.forEach((ref, j) => {
      const [systemId = '', roleId = ''] = ref.split('/');
      const system = tree.systems.get(systemId);
      if (!system) {
        if (!tree.broken.systems.has(systemId))
          out.push(
            diagnosticAt(
              entity,
              ['separationOfDuties', i, 'roles', j],
              'UNKNOWN_SYSTEM',
              `system "${systemId}" is not declared in systems/`,
            ),
          );
      } else if (!hasOwn(system.value.roles, roleId)) {
        out.push(
          diagnosticAt(
            entity,
            ['separationOfDuties', i, 'roles', j],
            'UNKNOWN_ROLE',
            `role "${roleId}" is not defined in system "${systemId}"`,
          ),
        );
      }
    });
  });
  return out;
}

/** Two roles that map to one directory group would make reconcile fight itself. */
export function checkUniqueGroups({ tree }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const system of [...tree.systems.values()].sort((a, b) => (a.value.id < b.value.id ? -1 : 1))) {
    for (const [roleId, role] of Object.entries(system.value.roles)) {
      // As the directory compares cn: case and repeated spaces do not make another group.
      const key = role.group.trim().replace(/\s+/g, ' ').toLowerCase();
      const first = seen.get(key);
      if (first)
        out.push(
          diagnosticAt(
            system,
            ['roles', roleId, 'group'],
            'DUPLICATE_GROUP',
            `group "${role.group}" is already used by ${first} (the directory compares group names ignoring case and spacing)`,
          ),
        );
      else seen.set(key, `${system.value.id}/${roleId}`);
    }
  }
  return out;
}
