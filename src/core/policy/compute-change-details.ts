import type { AccessTree } from '../model/access-tree.js';
import { own } from '../model/own.js';
import { roleRisk } from '../model/risk.js';
import type { Person, Risk } from '../model/types.js';
import { assertNever } from '../plan/action.js';
import { basePersonOf } from './change.js';
import type { Change } from './change.js';
import type { Requirement } from './requirement.js';

/**
 * What an approver approves, spelled out for one change (the pull-request comment, the check
 * run and `aac evaluate --format json` all show this): whose access, which system and role, its
 * risk, the tier and which rule made it that tier, the grant's terms, and what the directory
 * will do. Values come from head for what is granted and from base for the rules that judge it.
 */
export interface ChangeDetails {
  person?: { uid: string; name: string; type: Person['type']; external: boolean; sponsor?: string };
  system?: { id: string; name: string };
  role?: { id: string; description?: string; group?: string };
  risk?: Risk;
  privileged?: boolean;
  /** The role is an external profile (`external: true`). */
  externalRole?: boolean;
  expires?: string;
  emergency?: boolean;
  justification?: string;
  ticket?: string;
  /** Which rule made the change its tier. */
  why: string;
  /** What the directory will do once it is merged, one line each. */
  effect: string[];
  /** Side effects worth an approver's eye (people left without a manager or sponsor). */
  notes: string[];
}

/** The details of `change` judged by `requirement`, from the base and head trees. */
export function computeChangeDetails(
  change: Change,
  requirement: Requirement,
  base: AccessTree,
  head: AccessTree,
): ChangeDetails {
  const details: ChangeDetails = { why: explainTier(change, requirement, base), effect: [], notes: [] };
  const before = basePersonOf(change, base);
  const after = change.person === undefined ? undefined : head.people.get(change.person)?.value;
  const who = after ?? before;
  if (who) {
    const external = before?.type === 'external' || who.type === 'external';
    details.person = {
      uid: who.uid,
      name: who.name,
      type: who.type,
      external,
      ...(who.sponsor ? { sponsor: who.sponsor } : {}),
    };
  }
  if (change.grant) {
    const g = change.grant;
    const system = (head.systems.get(g.system) ?? base.systems.get(g.system))?.value;
    const baseSystem = base.systems.get(g.system)?.value;
    const baseRole = own(baseSystem?.roles, g.role);
    const role = own(system?.roles, g.role);
    details.system = { id: g.system, name: system?.name ?? g.system };
    details.role = {
      id: g.role,
      ...(role?.description ? { description: role.description } : {}),
      ...(role?.group ? { group: role.group } : {}),
    };
    if (baseSystem && baseRole) {
      details.risk = roleRisk(baseSystem, baseRole);
      details.privileged = baseRole.privileged === true;
      details.externalRole = baseRole.external === true;
    }
    if (g.expires !== undefined) details.expires = g.expires;
    if (g.emergency) details.emergency = true;
    if (g.justification !== undefined) details.justification = g.justification;
    if (g.ticket !== undefined) details.ticket = g.ticket;
  }
  details.effect = directoryEffect(change, base, head, details.role?.group);
  details.notes = leftWithout(change, head);
  return details;
}

/** Which rule made the change its tier, in a sentence. */
function explainTier(change: Change, requirement: Requirement, base: AccessTree): string {
  const policy = base.policy?.value;
  const external = requirement.levels.some((l) => l.level === policy?.external?.level);
  const plusExternal = external && policy?.external ? ` plus the external level (${policy.external.level})` : '';
  switch (change.kind) {
    case 'grant-added':
    case 'grant-extended': {
      const g = change.grant;
      if (g.emergency)
        return 'an emergency grant: the emergency level alone, within the policy’s emergency.maxDuration';
      const system = base.systems.get(g.system)?.value;
      const role = own(system?.roles, g.role);
      const verb = change.kind === 'grant-extended' ? 'lasts longer, so it is judged as a new grant: ' : '';
      if (!system || !role)
        return `${verb}${g.system}/${g.role} is not in the base branch's catalog: the highest tier${plusExternal}`;
      const risk = roleRisk(system, role);
      const from = role.risk !== undefined ? "the role's own risk" : `the system's risk`;
      const riskTier = own(policy?.risk, risk)?.tier ?? 'privileged';
      if (role.privileged)
        return `${verb}${g.system}/${g.role} is a privileged role: the privileged tier${plusExternal}`;
      return `${verb}${from} is ${risk}, and the policy's risk map gives ${risk} the ${riskTier} tier${plusExternal}`;
    }
    case 'grant-removed':
    case 'grant-changed':
    case 'person-removed':
      return 'it removes or narrows access: one approval, the manager or the emergency level';
    case 'person-status-changed':
      return change.to === 'active'
        ? `re-enabling gives back everything the person holds: the highest tier of their grants${plusExternal}`
        : 'it removes access: one approval, the manager or the emergency level';
    case 'person-added':
      return `a new person: the standard tier${plusExternal}`;
    case 'person-identity-changed':
      return `identity fields changed (${change.fields.join(', ')}): the ${requirement.tier} tier${plusExternal}`;
    case 'org-added':
    case 'org-removed':
    case 'org-changed':
      return 'an external organization: the external level';
    case 'system-added':
    case 'system-removed':
    case 'system-changed':
    case 'role-added':
    case 'role-removed':
    case 'role-changed':
    case 'policy-changed':
    case 'codeowners-changed':
    case 'schema-changed':
    case 'file-changed':
      return 'it changes what judges or provisions access: the highest tier plus the code owners of the file';
    default:
      return assertNever(change);
  }
}

/** What the reconciler will do in the directory because of this change. */
function directoryEffect(change: Change, base: AccessTree, head: AccessTree, group: string | undefined): string[] {
  const uid = change.person;
  switch (change.kind) {
    case 'grant-added':
    case 'grant-extended':
      return [
        `${uid} joins group ${group ?? '(unknown)'}${change.grant.expires ? ` until ${change.grant.expires}` : ''}`,
      ];
    case 'grant-removed':
      return [`${uid} leaves group ${group ?? '(unknown)'}`];
    case 'grant-changed':
      return change.fields.includes('expires')
        ? [`${uid} leaves group ${group ?? '(unknown)'} on ${change.grant.expires ?? 'removal'}`]
        : [];
    case 'person-added': {
      const p = head.people.get(change.person)?.value;
      return p?.status === 'active'
        ? [`account ${change.person} created (a temporary password, changed at first login)`]
        : [];
    }
    case 'person-removed':
      return [`account ${change.person} locked and removed from every group (its file is gone)`];
    case 'person-status-changed': {
      const groups = (head.people.get(change.person)?.value ?? basePersonOf(change, base))?.grants.length ?? 0;
      if (change.to === 'disabled') return [`account ${change.person} locked; leaves its ${groups} group(s)`];
      if (change.to === 'deleted') return [`account ${change.person} removed from the directory`];
      return [`account ${change.person} unlocked; joins its ${groups} group(s)`];
    }
    case 'person-identity-changed': {
      const out: string[] = [];
      if (change.predecessor !== undefined && change.predecessor !== change.person)
        out.push(`account renamed ${change.predecessor} -> ${change.person}`);
      const attributes = change.fields.filter((f) => ['name', 'email', 'title', 'employeeId'].includes(f));
      if (attributes.length > 0) out.push(`account ${change.person}: ${attributes.join(', ')} updated`);
      return out;
    }
    case 'role-added':
      return [`group for ${change.subject} created`];
    case 'role-removed':
      return [`group of ${change.subject} emptied`];
    case 'system-added':
    case 'system-removed':
    case 'system-changed':
    case 'role-changed':
    case 'policy-changed':
    case 'org-added':
    case 'org-removed':
    case 'org-changed':
    case 'codeowners-changed':
    case 'schema-changed':
    case 'file-changed':
      return [];
    default:
      return assertNever(change);
  }
}

/**
 * Disabling or deleting someone never waits for their reports or externals (an offboarding must
 * go through): the change names who is left without an active manager or sponsor. Their next
 * change falls back (see Level.fallback).
 */
function leftWithout(change: Change, head: AccessTree): string[] {
  if (change.kind !== 'person-status-changed' || change.to === 'active') return [];
  const uid = change.person;
  const managed: string[] = [];
  const sponsored: string[] = [];
  for (const { value } of head.people.values()) {
    if (value.status !== 'active' || value.uid === uid) continue;
    if (value.manager === uid) managed.push(value.uid);
    if (value.sponsor === uid) sponsored.push(value.uid);
  }
  return [
    ...(managed.length > 0 ? [`leaves without a manager: ${managed.sort().join(', ')}`] : []),
    ...(sponsored.length > 0 ? [`leaves without a sponsor: ${sponsored.sort().join(', ')}`] : []),
  ];
}
