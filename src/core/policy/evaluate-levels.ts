import type { ApproverSource, Uid } from '../model/types.js';
import type { Appeal, Approval, Rejection } from './compute-approvals.js';
import { matchLevels } from './match-levels.js';
import { planFallbacks } from './plan-fallbacks.js';
import type { RequiredLevel } from './requirement.js';
import type { Candidates, ExclusionReason } from './resolve-candidates.js';

/** One required level of one change, with who approved it or who still may, and why not. */
export interface LevelStatus {
  level: string;
  description?: string;
  /** The approver assigned to this level, or null. */
  satisfiedBy: string | null;
  /** When `satisfiedBy` is a deputy: the uid of the person they approve for (`delegate`). */
  onBehalfOf?: Uid;
  /**
   * Who may (still) approve this level, lower-case, sorted: author and subject excluded, and
   * nobody who fills another level of this change.
   */
  candidates: string[];
  /** Teams among the sources, for review requests. */
  teams: string[];
  /** Candidates not from a team, for review requests. */
  people: string[];
  /** Time of the assigned approval (ISO 8601), when satisfied. */
  approvedAt?: string;
  /** Logins the level's sources name that may not approve, and why. */
  excluded: Array<{ login: string; reason: ExclusionReason }>;
  /** Set when the level's fallback approvers are in use, and why. */
  fallback?: { reason: 'no-candidates' | 'needed-elsewhere'; note: string };
  /** Set when no distinct person can fill the level: why, and what would unblock it. */
  unmet?: string;
  /** A standing "changes requested" by an eligible approver of this level. */
  rejection?: Rejection;
  /** The author's appeal of this level's rejection: the level is then judged by `to` (the next level up). */
  appeal?: Appeal & { to: string | null };
}

export interface LevelsInput {
  levels: readonly RequiredLevel[];
  /** The stand-in approvers of a level (its own `fallback`, else the policy's). */
  fallbackOf: (level: RequiredLevel) => readonly ApproverSource[];
  /** Resolves approver sources to candidates for this change (subject, file, exclusions bound). */
  resolve: (sources: readonly ApproverSource[]) => Candidates;
  approvals: ReadonlyMap<string, Approval>;
  rejections: ReadonlyMap<string, Rejection>;
  /** The author's latest appeal, if any. */
  appeal?: Appeal | undefined;
  /** The level an appeal of `level` goes to: the next one up not already among `taken`. */
  appealLevel: (level: string, taken: ReadonlySet<string>) => RequiredLevel | undefined;
}

interface Slot {
  level: RequiredLevel;
  /** What judges the level now: itself, or the level an appeal went to. */
  judge: RequiredLevel;
  primary: Candidates;
  fallback: Candidates;
  rejection?: Rejection;
  appeal?: Appeal & { to: string | null };
}

/**
 * The verdict on each level of one change. A level's fallback approvers are used only where no
 * distinct person among its own candidates can fill it (`planFallbacks`); one person fills at
 * most one level (`matchLevels`); a "changes requested" by an eligible approver is a rejection of
 * that level, which the author's later `/appeal` hands to the next level up.
 */
export function evaluateLevels(input: LevelsInput): LevelStatus[] {
  const taken = new Set(input.levels.map((l) => l.level));
  const slots: Slot[] = input.levels.map((level) => ({
    level,
    judge: level,
    primary: input.resolve(level.approvers),
    fallback: input.resolve(input.fallbackOf(level)),
  }));
  for (const slot of slots) applyRejection(slot, input, taken);
  // A level whose team could not be read has approvers nobody knows of: no fallback stands in (fail closed).
  const useFallback = planFallbacks(
    slots.map((s) => s.primary.logins),
    slots.map((s) => (s.primary.unknown.length > 0 ? [] : s.fallback.logins)),
  );
  const eligible = slots.map((s, i) => union(s.primary.logins, useFallback[i] ? s.fallback.logins : []));
  const structural = matchLevels(eligible);
  const assigned = matchLevels(
    eligible.map((logins, i) => (standing(slots[i]!) ? [] : logins.filter((l) => input.approvals.has(l)))),
  );
  return slots.map((slot, i) => {
    const login = assigned[i];
    const others = new Set(assigned.filter((a, j): a is string => a !== undefined && j !== i));
    const sources = [slot.primary, ...(useFallback[i] ? [slot.fallback] : [])];
    const deputy = login === undefined ? undefined : sources.map((c) => c.deputies.get(login)).find((d) => d);
    const status: LevelStatus = {
      level: slot.level.level,
      ...(slot.level.description ? { description: slot.level.description } : {}),
      satisfiedBy: login ?? null,
      ...(deputy ? { onBehalfOf: deputy } : {}),
      candidates: eligible[i]!.filter((l) => !others.has(l)),
      teams: union(...sources.map((c) => c.teams)),
      people: union(...sources.map((c) => c.people)).filter((l) => !others.has(l)),
      ...(login ? { approvedAt: input.approvals.get(login)?.at ?? '' } : {}),
      excluded: dedupe(sources.flatMap((c) => c.excluded)),
      ...(useFallback[i] ? { fallback: fallbackReason(slot, structural, i) } : {}),
      ...(slot.rejection ? { rejection: slot.rejection } : {}),
      ...(slot.appeal ? { appeal: slot.appeal } : {}),
    };
    if (structural[i] === undefined || (slot.appeal && slot.appeal.to === null))
      status.unmet = explainUnmet(slot, useFallback[i]!, eligible[i]!, structural, i);
    return status;
  });
}

/** A rejection still in force: not appealed, or appealed with nowhere to go. */
function standing(slot: Slot): boolean {
  return slot.rejection !== undefined && (slot.appeal === undefined || slot.appeal.to === null);
}

/** Finds the level's standing rejection by an eligible approver, and applies a later appeal of it. */
function applyRejection(slot: Slot, input: LevelsInput, taken: ReadonlySet<string>): void {
  const eligible = new Set([...slot.primary.logins, ...slot.fallback.logins]);
  const rejection = [...input.rejections.values()]
    .filter((r) => eligible.has(r.login))
    .sort((a, b) => (a.at < b.at ? -1 : 1))[0];
  if (!rejection) return;
  slot.rejection = rejection;
  const appeal = input.appeal;
  if (!appeal || !(Date.parse(appeal.at) > Date.parse(rejection.at))) return;
  const to = input.appealLevel(slot.level.level, taken);
  slot.appeal = { ...appeal, to: to?.level ?? null };
  if (!to) return;
  slot.judge = to;
  slot.primary = input.resolve(to.approvers);
  slot.fallback = input.resolve(input.fallbackOf(to));
}

function fallbackReason(slot: Slot, structural: Array<string | undefined>, i: number): LevelStatus['fallback'] & {} {
  const who = slot.primary.logins;
  if (who.length === 0) {
    const why = [
      ...slot.primary.missing.map((m) => `no active ${m}`),
      ...slot.primary.excluded
        .filter((e) => e.reason !== 'not-an-active-person')
        .map((e) => `${e.login} is the ${e.reason}`),
    ];
    return {
      reason: 'no-candidates',
      note: `its own approvers cannot approve (${why.join('; ') || 'nobody is named'}): the fallback approvers stand in`,
    };
  }
  const elsewhere = who.filter((l) => structural.some((a, j) => a === l && j !== i));
  return {
    reason: 'needed-elsewhere',
    note: `its own approvers (${(elsewhere.length > 0 ? elsewhere : who).join(', ')}) are needed for other levels of this change: the fallback approvers stand in`,
  };
}

function explainUnmet(
  slot: Slot,
  fallbackUsed: boolean,
  eligible: readonly string[],
  structural: Array<string | undefined>,
  i: number,
): string {
  if (slot.appeal && slot.appeal.to === null)
    return `the rejection by ${slot.rejection?.login ?? 'a reviewer'} was appealed, but no level above ${slot.level.level} can hear the appeal: add a higher tier level or a policy fallback`;
  const reasons: string[] = [];
  if (slot.primary.unknown.length > 0)
    reasons.push(
      `the members of ${slot.primary.unknown.join(', ')} could not be read (the app needs organization members: read, or the teams file must list them)`,
    );
  for (const c of [slot.primary, ...(fallbackUsed ? [slot.fallback] : [])]) {
    reasons.push(...c.missing.map((m) => `no active ${m}`));
    for (const e of c.excluded) if (e.reason !== 'not-an-active-person') reasons.push(`${e.login} is the ${e.reason}`);
    const outsiders = c.excluded.filter((e) => e.reason === 'not-an-active-person').map((e) => e.login);
    if (outsiders.length > 0)
      reasons.push(
        `${outsiders.slice(0, 5).join(', ')}${outsiders.length > 5 ? ', ...' : ''} have no active person file`,
      );
  }
  const elsewhere = eligible.filter((l) => structural.some((a, j) => a === l && j !== i));
  if (elsewhere.length > 0)
    reasons.push(`${elsewhere.join(', ')} ${elsewhere.length === 1 ? 'is' : 'are'} needed for other levels`);
  const hasFallback =
    slot.fallback.logins.length > 0 || slot.fallback.excluded.length > 0 || slot.fallback.missing.length > 0;
  const unblock = hasFallback
    ? `add people to the \`fallback\` of level ${slot.judge.level}, or the policy's \`fallback\``
    : `give level ${slot.judge.level} a \`fallback\` in the policy (for example \`manager-of-manager\` or \`{people: [uid]}\`), or a policy-wide \`fallback\``;
  return `no distinct person can approve ${slot.level.level}: ${reasons.length > 0 ? reasons.join('; ') : 'its sources name nobody'}. To unblock: ${unblock}`;
}

function union(...lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.flat())].sort();
}

function dedupe(
  list: Array<{ login: string; reason: ExclusionReason }>,
): Array<{ login: string; reason: ExclusionReason }> {
  return [...new Map(list.map((e) => [`${e.login}\u0000${e.reason}`, e])).values()];
}
