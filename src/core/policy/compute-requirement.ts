import type { AccessTree } from '../model/access-tree.js';
import { own } from '../model/own.js';
import { parseDuration, parseExpiry } from '../model/time.js';
import type { ApproverSource, Grant, Person, Policy, TierId } from '../model/types.js';
import { basePersonOf } from './change.js';
import { assertNever } from '../plan/action.js';
import type { Change } from './change.js';
import { grantProblems, sponsorProblems } from './grant-problems.js';
import { computeDroppedIdentifiers, judgeIdentityChange } from './identity-requirement.js';
import {
  codeOwnersLevel,
  grantTier,
  highestTier,
  maxTier,
  policyLevel,
  REVOCATION_LEVEL,
  tierLevels,
  withExternalLevel,
} from './requirement.js';
import type { BlockReason, Requirement } from './requirement.js';

export type { BlockReason, ChangeTier, RequiredLevel, Requirement } from './requirement.js';
export { CODE_OWNERS_LEVEL, REVOCATION_LEVEL } from './requirement.js';

/**
 * What a change needs, judged ONLY by the base tree's policy and systems (a pull request never
 * judges itself by rules it changes). The head tree is used for facts about the resulting state
 * (the person's grants, for separation of duties) and `now` for emergency limits (ms since epoch).
 * @example computeRequirement(grantAdded, base, head, now) // { tier: 'standard', levels: [{ level: 'manager', ... }], blocked: [] }
 */
export function computeRequirement(change: Change, base: AccessTree, head: AccessTree, now: number): Requirement {
  const policy = base.policy?.value;
  if (!policy) return { tier: 'privileged', levels: [], blocked: ['MISSING_POLICY'] };
  const highest = highestTier(policy);
  const basePerson = basePersonOf(change, base);
  const headPerson = change.person === undefined ? undefined : head.people.get(change.person)?.value;
  const external = basePerson?.type === 'external' || headPerson?.type === 'external';
  const levelsOf = (tier: TierId, withExternal = true): Requirement['levels'] =>
    withExternalLevel(policy, tierLevels(policy, tier), external && withExternal);

  switch (change.kind) {
    case 'system-added':
    case 'system-removed':
    case 'system-changed':
    case 'role-added':
    case 'role-removed':
    case 'role-changed':
    case 'policy-changed':
    case 'codeowners-changed':
    case 'schema-changed':
    case 'file-changed': {
      // What judges every other change: the highest tier plus the file's code owners.
      const levels = tierLevels(policy, highest);
      const owners = codeOwnersLevel(policy);
      return {
        tier: highest,
        levels: levels.some((l) => l.level === owners.level) ? levels : [...levels, owners],
        blocked: [],
      };
    }
    case 'grant-removed':
    case 'grant-changed':
      return revocation(policy, []);
    case 'person-removed':
      // Removing the file would erase the uid and email from the register the gate reads.
      return revocation(
        policy,
        basePerson && computeDroppedIdentifiers(basePerson, head).length > 0 ? ['IDENTIFIER_DROPPED'] : [],
      );
    case 'person-status-changed':
      if (change.to !== 'active') return revocation(policy, []);
      return holdingAll(policy, base, head, headPerson, external, levelsOf, 'standard');
    case 'person-added':
      return {
        tier: 'standard',
        levels: levelsOf('standard'),
        blocked: headPerson ? sponsorProblems(headPerson, base, head, external) : [],
      };
    case 'person-identity-changed': {
      const judged = judgeIdentityChange(change.fields, basePerson, headPerson, head, policy);
      const tier = judged.tier === 'highest' ? highest : judged.tier;
      if (judged.regrant) {
        const all = holdingAll(policy, base, head, headPerson, external, levelsOf, tier);
        return { ...all, blocked: [...new Set([...judged.blocked, ...all.blocked])] };
      }
      return { tier, levels: levelsOf(tier, judged.external), blocked: judged.blocked };
    }
    case 'org-added':
    case 'org-removed':
    case 'org-changed':
      return policy.external
        ? { tier: 'standard', levels: [policyLevel(policy, policy.external.level)], blocked: [] }
        : { tier: highest, levels: tierLevels(policy, highest), blocked: [] };
    case 'grant-added':
    case 'grant-extended': {
      const grant = change.grant;
      const blocked = grantProblems(grant, headPerson, base, head, external);
      if (grant.emergency) {
        const emergency = emergencyRequirement(policy, grant, now);
        return { ...emergency, blocked: [...blocked, ...emergency.blocked] };
      }
      const tier = grantTier(policy, base, grant);
      return { tier, levels: levelsOf(tier), blocked };
    }
    default:
      return assertNever(change);
  }
}

function revocation(policy: Policy, blocked: BlockReason[]): Requirement {
  const emergency = policy.emergency ? own(policy.levels, policy.emergency.level) : undefined;
  const approvers: ApproverSource[] = ['manager', ...(emergency?.approvers ?? [])];
  const description = `the subject's manager${policy.emergency ? ` or ${emergency?.description ?? policy.emergency.level}` : ''}`;
  return { tier: 'revocation', levels: [{ level: REVOCATION_LEVEL, description, approvers }], blocked };
}

/** Every grant the person holds in head, judged as if given now (re-enabling, a new holder): the highest of their tiers, at least `floor`. */
function holdingAll(
  policy: Policy,
  base: AccessTree,
  head: AccessTree,
  person: Person | undefined,
  external: boolean,
  levelsOf: (tier: TierId) => Requirement['levels'],
  floor: TierId,
): Requirement {
  const grants = person?.grants ?? [];
  const tier = grants.reduce<TierId>((max, g) => maxTier(max, grantTier(policy, base, g)), floor);
  const blocked = new Set(grants.flatMap((g) => grantProblems(g, person, base, head, external)));
  return { tier, levels: levelsOf(tier), blocked: [...blocked] };
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
