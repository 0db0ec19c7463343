/**
 * Assigns approvers to levels so that as many levels as possible are satisfied, each approver
 * used at most once (a maximum bipartite matching, by augmenting paths). Greedy assignment is
 * not enough: if Ann may approve levels A and B and Bob only A, greedy may give A to Ann and
 * leave B empty. Levels per change are few (under ten), so the simple algorithm is plenty.
 *
 * `eligible[i]` are the approvers who may satisfy level i, in order of preference.
 * Returns, per level, the approver assigned or undefined.
 * @example matchLevels([['ann', 'bob'], ['ann']]) // ['bob', 'ann']
 */
export function matchLevels(eligible: readonly (readonly string[])[]): Array<string | undefined> {
  const levelOf = new Map<string, number>();
  const assigned: Array<string | undefined> = eligible.map(() => undefined);
  const tryAssign = (level: number, seen: Set<string>): boolean => {
    for (const approver of eligible[level] ?? []) {
      if (seen.has(approver)) continue;
      seen.add(approver);
      const holder = levelOf.get(approver);
      if (holder === undefined || tryAssign(holder, seen)) {
        levelOf.set(approver, level);
        assigned[level] = approver;
        return true;
      }
    }
    return false;
  };
  eligible.forEach((_, level) => tryAssign(level, new Set()));
  return assigned;
}
