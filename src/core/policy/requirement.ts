import type { AccessTree } from '../model/access-tree.js';
import { own } from '../model/own.js';
import { roleTier, TIER_RANK } from '../model/risk.js';
import type { ApproverSource, Grant, LevelId, Policy, TierId } from '../model/types.js';

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
  | 'MISSING_POLICY'
  /** A uid or email of the base files would no longer be recorded anywhere in head (see `computeDroppedIdentifiers`). */
  | 'IDENTIFIER_DROPPED'
  /** A person file would pass to a different human (another employeeId): its uid and email would be reused. */
  | 'UID_REUSED';

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

/** The policy's level `id` as a required level (no approvers when the policy does not declare it: unmet). */
export function policyLevel(policy: Policy, id: LevelId): RequiredLevel {
  const level = own(policy.levels, id);
  return {
    level: id,
    ...(level?.description ? { description: level.description } : {}),
    approvers: level?.approvers ?? [],
  };
}

/** The levels of tier `tier` in the policy. */
export function tierLevels(policy: Policy, tier: TierId): RequiredLevel[] {
  return (own(policy.tiers, tier)?.levels ?? []).map((id) => policyLevel(policy, id));
}

/** The level code owners satisfy: the policy's level with `codeowners`, else a built-in one. */
export function codeOwnersLevel(policy: Policy): RequiredLevel {
  const id = Object.keys(policy.levels).find((l) => own(policy.levels, l)?.approvers.includes('codeowners'));
  return id
    ? policyLevel(policy, id)
    : { level: CODE_OWNERS_LEVEL, description: 'Owners of the changed file (CODEOWNERS)', approvers: ['codeowners'] };
}

export function highestTier(policy: Policy): TierId {
  return (Object.keys(policy.tiers) as TierId[]).reduce<TierId>(
    (max, t) => (TIER_RANK[t] > TIER_RANK[max] ? t : max),
    'standard',
  );
}

/** `levels` plus the policy's external level, when the change concerns an external person. */
export function withExternalLevel(policy: Policy, levels: RequiredLevel[], external: boolean): RequiredLevel[] {
  return external && policy.external && !levels.some((l) => l.level === policy.external?.level)
    ? [...levels, policyLevel(policy, policy.external.level)]
    : levels;
}

/** A role unknown to the base tree (added in the same pull request) is judged at the highest tier. */
export function grantTier(policy: Policy, base: AccessTree, grant: Grant): TierId {
  const system = base.systems.get(grant.system)?.value;
  const role = own(system?.roles, grant.role);
  return system && role ? roleTier(policy, system, role) : highestTier(policy);
}

/** The higher of two tiers. */
export function maxTier(a: TierId, b: TierId): TierId {
  return TIER_RANK[b] > TIER_RANK[a] ? b : a;
}
