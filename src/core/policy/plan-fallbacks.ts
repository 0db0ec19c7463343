import { matchLevels } from './match-levels.js';

/** Beyond this many levels the exhaustive search gives way to "only the levels left unmatched". */
const MAX_SEARCHED_LEVELS = 10;

/**
 * Which levels of one change must use their fallback approvers: as few as possible, and only
 * those that no distinct person among their own candidates can fill (every candidate excluded,
 * or needed for another level). `primary[i]` and `fallback[i]` are the candidate logins of level
 * i. The chosen set is the smallest one that lets as many levels as possible be filled by
 * distinct people; among sets of one size, the one that leaves the EARLIER levels their own
 * approvers is preferred (the manager approves as manager; the department-head level falls back
 * when the manager heads the department). Levels are few (under ten): subsets are enumerated.
 * @example planFallbacks([['mjohnson'], ['mjohnson']], [[], ['rbrown']]) // [false, true]
 */
export function planFallbacks(primary: readonly string[][], fallback: readonly string[][]): boolean[] {
  const n = primary.length;
  const filled = (use: readonly boolean[]): number =>
    matchLevels(primary.map((p, i) => (use[i] ? [...p, ...fallback[i]!] : p))).filter((a) => a !== undefined).length;
  const none = primary.map(() => false);
  const best = filled(primary.map((_, i) => fallback[i]!.length > 0));
  if (filled(none) === best) return none;
  if (n > MAX_SEARCHED_LEVELS) {
    const unmatched = matchLevels(primary).map((a) => a === undefined);
    return unmatched.map((u, i) => u && fallback[i]!.length > 0);
  }
  const candidates: number[] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    if (fallbackLess(mask, fallback)) continue;
    candidates.push(mask);
  }
  // Fewer fallbacks first; then prefer falling back on later levels (a larger lowest set bit).
  candidates.sort((a, b) => popcount(a) - popcount(b) || lowestBit(b) - lowestBit(a) || b - a);
  for (const mask of candidates) {
    const use = primary.map((_, i) => (mask & (1 << i)) !== 0);
    if (filled(use) === best) return use;
  }
  return none;
}

// A mask that falls back on a level with no fallback approvers changes nothing: skip it.
function fallbackLess(mask: number, fallback: readonly string[][]): boolean {
  return fallback.some((f, i) => (mask & (1 << i)) !== 0 && f.length === 0);
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

function lowestBit(x: number): number {
  return x === 0 ? -1 : Math.log2(x & -x);
}
