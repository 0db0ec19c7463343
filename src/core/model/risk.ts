import type { Policy, Risk, Role, System, TierId } from './types.js';
import { own } from './own.js';

export const TIER_RANK: Record<TierId, number> = { standard: 0, elevated: 1, privileged: 2 };

/** A role's risk: its own, or its system's. */
export function roleRisk(system: System, role: Role): Risk {
  return role.risk ?? system.risk;
}

/** The tier a grant of this role needs: from its risk via the policy, and at least privileged for privileged roles. */
export function roleTier(policy: Policy, system: System, role: Role): TierId {
  const fromRisk = own(policy.risk, roleRisk(system, role))?.tier ?? 'privileged';
  return role.privileged ? 'privileged' : fromRisk;
}

/** Attestations a holder of this role must have: the risk level's requirements plus the tier's. */
export function requiredAttestations(policy: Policy, system: System, role: Role): string[] {
  const risk = own(policy.risk, roleRisk(system, role));
  const tier = own(policy.tiers, roleTier(policy, system, role));
  return [...new Set([...(risk?.requirements ?? []), ...(tier?.attestations ?? [])])];
}
