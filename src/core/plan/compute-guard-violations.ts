import type { Policy } from '../model/types.js';
import type { Action } from './action.js';

export type GuardName = 'maxDeletions' | 'maxDisables' | 'maxRemovals' | 'maxPercent';

/** A limit of the policy's `guards` that a plan exceeds. */
export interface GuardViolation {
  guard: GuardName;
  /** What is counted: accounts deleted, accounts locked, or memberships removed. */
  counts: 'deletions' | 'disables' | 'removals';
  count: number;
  /** The policy's limit: a number of entries, or a percentage for `maxPercent`. */
  limit: number;
  /** For `maxPercent`: the count (for removals: the people losing a membership) as a percentage of the accounts. */
  percent?: number;
}

/**
 * Checks a plan's destructive actions against the policy's guards: at most `maxDeletions` accounts
 * deleted, `maxDisables` locked, `maxRemovals` memberships removed, and each of these at most
 * `maxPercent` percent of the accounts the directory holds (for removals: the people losing a
 * membership). Pure.
 */
export function computeGuardViolations(
  actions: readonly Action[],
  observed: { accounts: number; memberships: number },
  guards: Policy['guards'],
): GuardViolation[] {
  let deletions = 0;
  let disables = 0;
  let removals = 0;
  const losing = new Set<string>();
  for (const action of actions) {
    if (action.type === 'delete-account') deletions++;
    if (action.type === 'lock-account') disables++;
    if (action.type === 'update-members') {
      removals += action.remove.length;
      for (const r of action.remove) losing.add(r.dn.toLowerCase());
    }
  }
  const violations: GuardViolation[] = [];
  const byCount = (
    guard: GuardName,
    counts: GuardViolation['counts'],
    count: number,
    limit: number | undefined,
  ): void => {
    if (limit !== undefined && count > limit) violations.push({ guard, counts, count, limit });
  };
  byCount('maxDeletions', 'deletions', deletions, guards.maxDeletions);
  byCount('maxDisables', 'disables', disables, guards.maxDisables);
  byCount('maxRemovals', 'removals', removals, guards.maxRemovals);
  const maxPercent = guards.maxPercent;
  if (maxPercent !== undefined) {
    // A single entry is never "mass": the percentage guard needs at least two of a kind, or a
    // ten-person directory could never disable anyone.
    const byPercent = (counts: GuardViolation['counts'], count: number, total: number): void => {
      if (count < 2 || total === 0) return;
      const percent = Math.round((count * 1000) / total) / 10;
      if (percent > maxPercent) violations.push({ guard: 'maxPercent', counts, count, limit: maxPercent, percent });
    };
    byPercent('deletions', deletions, observed.accounts);
    byPercent('disables', disables, observed.accounts);
    // Removals by percent count people who lose access, not memberships: one person leaving
    // three groups is one person, however small the directory.
    byPercent('removals', losing.size, observed.accounts);
  }
  return violations;
}
