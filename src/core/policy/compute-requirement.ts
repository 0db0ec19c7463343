import type { AccessTree } from '../model/access-tree.js';
import { roleTier, TIER_RANK } from '../model/risk.js';
import { parseDuration, parseExpiry } from '../model/time.js';
import type { ApproverSource, Grant, LevelId, Person, Policy, TierId } from '../model/types.js';
import { basePersonOf } from './change.js';
import { assertNever } from '../plan/action.js';
import type { Change } from './change.js';
import { own } from '../model/own.js';

/** The tier a change is judged at: a policy tier, or one of the two special paths. */
export type ChangeTier = TierId | 'emergency' | 'revocation';

/** Why a change fails whatever the approvals. Same spelling as the validation codes where they overlap. */
export type BlockReason =
  | 'PRIVILEGE_ESCALATION'
  | 'SOD_CONFLICT'
  | 'EXTERNAL_NO_SPONSOR'
  | 'EXTERNAL_BAD_SPONSOR'
  | 'EXTERNAL_NO_JUSTIFICATION'
  | 'EMERGENCY_NOT_ALLOWED'
  | 'EMERGENCY_NO_EXPIRY'
  | 'EMERGENCY_TOO_LONG'
  | 'EMERGENCY_NO_JUSTIFICATION'
  | 'MISSING_POLICY';

/** One approval a change needs: a level id and who may give it. */
export interface RequiredLevel {
  level: LevelId;
  description?: string;
  approvers: ApproverSource[];
}

export interface Requirement {
  tier: ChangeTier;
  levels: RequiredLevel[];
  blocked: BlockReason[];
}

/** Level id of the single approval a revocation needs: the subject's manager or the emergency level. */
export const REVOCATION_LEVEL = 'revocation';
/** Level id used for code owners when the policy has no level with `codeowners`. */
export const CODE_OWNERS_LEVEL = 'code-owners';

/** Identity fields that approvals and privileged access are judged on: changing them needs the elevated tier. */
const SENSITIVE_FIELDS = new Set(['type', 'github', 'attestations']);

/**
 * What a change needs, judged ONLY by the base tree's policy and systems (a pull request never
 * judges itself by rules it changes). The head tree is used for facts about the resulting state
 * (the person's grants, for separation of duties) and `now` for emergency limits (ms since epoch).
 * @example computeRequirement(grantAdded, base, head, now) // { tier: 'standard', levels: [{ level: 'manager', ... }], blocked: [] }
 */
export function computeRequirement(change: Change, base: AccessTree, head: AccessTree, now: number): Requirement {
  const policy = base.policy?.value;
  if (!policy) return { tier: 'privileged', levels: [], blocked: ['MISSING_POLICY'] };
  const tierLevels = (tier: TierId): RequiredLevel[] =>
    (own(policy.tiers, tier)?.levels ?? []).map((id) => policyLevel(policy, id));
  const highest = highestTier(policy);
  const basePerson = basePersonOf(change, base);
  const headPerson = change.person === undefined ? undefined : head.people.get(change.person)?.value;
  const external = basePerson?.type === 'external' || headPerson?.type === 'external';
  const withExternal = (levels: RequiredLevel[]): RequiredLevel[] =>
    external && policy.external && !levels.some((l) => l.level === policy.external?.level)
      ? [...levels, policyLevel(policy, policy.external.level)]
      : levels;

  switch (change.kind) {
    case 'system-added':
    case 'system-removed':
    case 'system-changed':
    case 'role-added':
    case 'role-removed':
    case 'role-changed':
    case 'policy-changed':
    case 'codeowners-changed':
    case 'schema-changed': {
      // What judges every other change: the highest tier plus the file's code owners.
      const levels = tierLevels(highest);
      const owners = codeOwnersLevel(policy);
      return {
        tier: highest,
        levels: levels.some((l) => l.level === owners.level) ? levels : [...levels, owners],
        blocked: [],
      };
    }
    case 'grant-removed':
    case 'grant-changed':
    case 'person-removed':
      return revocation(policy);
    case 'person-status-changed':
      if (change.to !== 'active') return revocation(policy);
      return holdingAll(policy, base, head, headPerson, basePerson, withExternal, tierLevels, 'standard');
    case 'person-added':
      return {
        tier: 'standard',
        levels: withExternal(tierLevels('standard')),
        blocked: headPerson ? sponsorProblems(headPerson, base, head, external) : [],
      };
    case 'person-identity-changed': {
      const fields = change.fields;
      const tier: TierId = fields.some((f) => SENSITIVE_FIELDS.has(f)) ? 'elevated' : 'standard';
      // A different employeeId is a different human taking over the account and all it holds:
      // judged as granting every grant again, not as a correction of a name.
      if (fields.includes('employeeId') && basePerson?.employeeId !== undefined)
        return holdingAll(policy, base, head, headPerson, basePerson, withExternal, tierLevels, tier);
      return {
        tier,
        levels:
          fields.includes('type') || fields.includes('sponsor') ? withExternal(tierLevels(tier)) : tierLevels(tier),
        blocked: [],
      };
    }
    case 'org-added':
    case 'org-removed':
    case 'org-changed':
      return policy.external
        ? { tier: 'standard', levels: [policyLevel(policy, policy.external.level)], blocked: [] }
        : { tier: highest, levels: tierLevels(highest), blocked: [] };
    case 'grant-added':
    case 'grant-extended': {
      const grant = change.grant;
      const blocked = grantProblems(grant, headPerson, base, head, external);
      if (grant.emergency) {
        const emergency = emergencyRequirement(policy, grant, now);
        return { ...emergency, blocked: [...blocked, ...emergency.blocked] };
      }
      return {
        tier: grantTier(policy, base, grant),
        levels: withExternal(tierLevels(grantTier(policy, base, grant))),
        blocked,
      };
    }
    default:
      return assertNever(change);
  }
}

function revocation(policy: Policy): Requirement {
  const emergency = policy.emergency ? own(policy.levels, policy.emergency.level) : undefined;
  const approvers: ApproverSource[] = ['manager', ...(emergency?.approvers ?? [])];
  const description = `the subject's manager${policy.emergency ? ` or ${emergency?.description ?? policy.emergency.level}` : ''}`;
  return { tier: 'revocation', levels: [{ level: REVOCATION_LEVEL, description, approvers }], blocked: [] };
}

/** Every grant the person holds in head, judged as if given now (re-enabling, a new holder): the highest of their tiers, at least `floor`. */
function holdingAll(
  policy: Policy,
  base: AccessTree,
  head: AccessTree,
  person: Person | undefined,
  basePerson: Person | undefined,
  withExternal: (levels: RequiredLevel[]) => RequiredLevel[],
  tierLevels: (tier: TierId) => RequiredLevel[],
  floor: TierId,
): Requirement {
  const grants = person?.grants ?? [];
  const external = basePerson?.type === 'external' || person?.type === 'external';
  const tier = grants.reduce<TierId>((max, g) => {
    const t = grantTier(policy, base, g);
    return TIER_RANK[t] > TIER_RANK[max] ? t : max;
  }, floor);
  const blocked = new Set(grants.flatMap((g) => grantProblems(g, person, base, head, external)));
  return { tier, levels: withExternal(tierLevels(tier)), blocked: [...blocked] };
}

function emergencyRequirement(policy: Policy, grant: Grant, now: number): Requirement {
  if (!policy.emergency) return { tier: 'emergency', levels: [], blocked: ['EMERGENCY_NOT_ALLOWED'] };
  const blocked: BlockReason[] = [];
  const max = parseDuration(policy.emergency.maxDuration);
  const expires = grant.expires === undefined ? undefined : parseExpiry(grant.expires);
  if (!grant.justification?.trim()) blocked.push('EMERGENCY_NO_JUSTIFICATION');
  if (grant.expires === undefined) blocked.push('EMERGENCY_NO_EXPIRY');
  else if (expires === undefined || max === undefined || expires > now + max) blocked.push('EMERGENCY_TOO_LONG');
  return { tier: 'emergency', levels: [policyLevel(policy, policy.emergency.level)], blocked };
}

/** A role unknown to the base tree (added in the same pull request) is judged at the highest tier. */
function grantTier(policy: Policy, base: AccessTree, grant: Grant): TierId {
  const system = base.systems.get(grant.system)?.value;
  const role = own(system?.roles, grant.role);
  return system && role ? roleTier(policy, system, role) : highestTier(policy);
}

function grantProblems(
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
    const held = new Set(person.grants.map((g) => `${g.system}/${g.role}`));
    const rules = base.policy?.value.separationOfDuties ?? [];
    if (rules.some((r) => r.roles.includes(key) && r.roles.every((role) => held.has(role))))
      blocked.push('SOD_CONFLICT');
  }
  return blocked;
}

/** An external person's sponsor must be an active employee in base and stay one in head. */
function sponsorProblems(person: Person, base: AccessTree, head: AccessTree, external: boolean): BlockReason[] {
  if (!external || person.status !== 'active') return [];
  if (person.sponsor === undefined) return ['EXTERNAL_NO_SPONSOR'];
  const ok = (p: Person | undefined): boolean => p !== undefined && p.type === 'employee' && p.status === 'active';
  return ok(base.people.get(person.sponsor)?.value) && ok(head.people.get(person.sponsor)?.value)
    ? []
    : ['EXTERNAL_BAD_SPONSOR'];
}

function policyLevel(policy: Policy, id: LevelId): RequiredLevel {
  const level = own(policy.levels, id);
  return {
    level: id,
    ...(level?.description ? { description: level.description } : {}),
    approvers: level?.approvers ?? [],
  };
}

function codeOwnersLevel(policy: Policy): RequiredLevel {
  const id = Object.keys(policy.levels).find((l) => own(policy.levels, l)?.approvers.includes('codeowners'));
  return id
    ? policyLevel(policy, id)
    : { level: CODE_OWNERS_LEVEL, description: 'Owners of the changed file (CODEOWNERS)', approvers: ['codeowners'] };
}

function highestTier(policy: Policy): TierId {
  return (Object.keys(policy.tiers) as TierId[]).reduce<TierId>(
    (max, t) => (TIER_RANK[t] > TIER_RANK[max] ? t : max),
    'standard',
  );
}
