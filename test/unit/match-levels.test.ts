import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchLevels } from '../../src/core/policy/match-levels.js';

describe('matchLevels', () => {
  it('assigns the flexible approver where only they fit', () => {
    expect(matchLevels([['ann', 'bob'], ['ann']])).toEqual(['bob', 'ann']);
    expect(matchLevels([['ann'], ['ann']])).toEqual(['ann', undefined]);
    expect(matchLevels([[], ['bob']])).toEqual([undefined, 'bob']);
  });

  it('never uses an approver twice and satisfies as many levels as brute force', () => {
    const names = ['a', 'b', 'c', 'd'];
    const arb = fc.array(fc.subarray(names), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(arb, (eligible) => {
        const assigned = matchLevels(eligible);
        const used = assigned.filter((a): a is string => a !== undefined);
        expect(new Set(used).size).toBe(used.length);
        assigned.forEach((a, i) => a === undefined || expect(eligible[i]).toContain(a));
        expect(used.length).toBe(bruteForce(eligible));
      }),
    );
  });
});

function bruteForce(eligible: string[][], i = 0, used = new Set<string>()): number {
  if (i === eligible.length) return 0;
  let best = bruteForce(eligible, i + 1, used);
  for (const a of eligible[i]!) {
    if (used.has(a)) continue;
    used.add(a);
    best = Math.max(best, 1 + bruteForce(eligible, i + 1, used));
    used.delete(a);
  }
  return best;
}
