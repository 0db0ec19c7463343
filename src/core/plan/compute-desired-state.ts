import type { AccessTree, Entity } from '../model/access-tree.js';
import { parseCalendarDate, parseExpiry } from '../model/time.js';
import type { Person, PersonStatus } from '../model/types.js';
import type { PathSegment } from '../source.js';
import type { Cause, Provisioning } from './action.js';
import type { AccountAttributes } from './directory-snapshot.js';

/** A person as the directory should hold them. */
export interface DesiredAccount {
  uid: string;
  status: PersonStatus;
  attributes: AccountAttributes;
  provisioning: Provisioning;
  cause: Cause;
}

/** Why a uid is (or was) in a group: the grant and where it is written. */
export interface Membership {
  cause: Cause;
  system: string;
  role: string;
}

export interface DesiredGroup {
  name: string;
  /** The role that declares the group. */
  cause: Cause;
  /** That role, by system and role id. */
  role: { system: string; role: string };
  /** Active people with a current grant, by uid. */
  members: Map<string, Membership>;
  /** Grants of active people that have expired, by uid: removed with reason `expired`. */
  expired: Map<string, Membership & { expires: string }>;
}

/** The whole desired state of the managed OUs, computed from the access files at a time. */
export interface DesiredState {
  accounts: Map<string, DesiredAccount>;
  groups: Map<string, DesiredGroup>;
}

/**
 * Computes what the directory should hold from a valid access tree at time `now` (ms since epoch).
 * Disabled and deleted people keep an account entry here (with their status) so that the plan can
 * lock or delete it; they are members of nothing.
 */
export function computeDesiredState(tree: AccessTree, now: number): DesiredState {
  const groups = new Map<string, DesiredGroup>();
  const roleGroup = new Map<string, DesiredGroup>();
  for (const [systemId, system] of tree.systems) {
    for (const [roleId, role] of Object.entries(system.value.roles)) {
      const group: DesiredGroup = groups.get(role.group) ?? {
        name: role.group,
        cause: causeAt(system, ['roles', roleId, 'group']),
        role: { system: systemId, role: roleId },
        members: new Map(),
        expired: new Map(),
      };
      groups.set(role.group, group);
      roleGroup.set(`${systemId}/${roleId}`, group);
    }
  }

  const accounts = new Map<string, DesiredAccount>();
  for (const [uid, entity] of tree.people) {
    const person = entity.value;
    const systems: string[] = [];
    person.grants.forEach((grant, index) => {
      if (person.status !== 'active') return;
      const group = roleGroup.get(`${grant.system}/${grant.role}`);
      if (!group) return;
      const membership: Membership = {
        cause: causeAt(entity, ['grants', index]),
        system: grant.system,
        role: grant.role,
      };
      // Not yet started: no membership, and nothing to report either (it is not expired).
      const starts = grant.starts === undefined ? undefined : parseCalendarDate(grant.starts);
      if (starts !== undefined && starts > now) return;
      const expires = grant.expires === undefined ? undefined : parseExpiry(grant.expires);
      if (expires !== undefined && expires < now) {
        group.expired.set(uid, { ...membership, expires: grant.expires ?? '' });
        return;
      }
      group.members.set(uid, membership);
      systems.push(`${grant.system}/${grant.role}`);
    });
    accounts.set(uid, {
      uid,
      status: person.status,
      attributes: computeAccountAttributes(person),
      provisioning: computeProvisioning(person, tree, systems),
      cause: causeAt(entity, ['uid']),
    });
  }
  return { accounts, groups };
}

/** The managed attributes of a person's account. */
export function computeAccountAttributes(person: Person): AccountAttributes {
  const words = person.name.trim().split(/\s+/);
  const surname = person.surname ?? words[words.length - 1] ?? person.name;
  const given = person.givenName ?? words.slice(0, -1).join(' ');
  const attributes: AccountAttributes = { name: person.name, surname, mail: person.email, type: person.type };
  if (given !== '') attributes.givenName = given;
  if (person.title !== undefined) attributes.title = person.title;
  if (person.department !== undefined) attributes.department = person.department;
  if (person.employeeId !== undefined) attributes.employeeId = person.employeeId;
  return attributes;
}

function computeProvisioning(person: Person, tree: AccessTree, systems: string[]): Provisioning {
  const role = person.type === 'external' ? 'sponsor' : 'manager';
  const handoverUid = person.type === 'external' ? person.sponsor : person.manager;
  const handover = handoverUid === undefined ? undefined : tree.people.get(handoverUid)?.value;
  const provisioning: Provisioning = { email: person.email, name: person.name, type: person.type, systems };
  if (handover && handoverUid !== undefined)
    provisioning.handoverTo = { uid: handoverUid, name: handover.name, email: handover.email, role };
  return provisioning;
}

function causeAt(entity: Pick<Entity<unknown>, 'source'>, path: readonly PathSegment[]): Cause {
  return { file: entity.source.path, path };
}
