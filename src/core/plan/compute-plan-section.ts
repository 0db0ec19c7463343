import { actionSubject } from './action.js';
import type { Plan } from './compute-plan.js';
import { describeAction, formatSummaryLine, formatViolation } from './format-plan.js';
import { describeConflict } from './plan-findings.js';

/** The directory plan shown on the pull request, when the caller computed one (see `computePlan` in core/plan). */
export interface PlanSection {
  /** One line per directory operation, e.g. `add-member cn=crm-admins uid=jsmith`. */
  actions: Array<{ type: string; target: string; detail?: string }>;
  /** Optional one-line summary, e.g. `3 operations`. */
  summary?: string;
}

/** Most actions listed on a pull request; the summary line always counts them all. */
export const MAX_PLAN_SECTION_ACTIONS = 50;

/**
 * The directory plan as the pull-request comment shows it (the same `computePlan` that `aac apply`
 * performs after merge): one row per action, the summary, and any guard the plan would trip.
 */
export function computePlanSection(plan: Plan): PlanSection {
  const actions = plan.actions
    .slice(0, MAX_PLAN_SECTION_ACTIONS)
    .map((a) => ({ type: a.type, target: actionSubject(a), detail: describeAction(a) }));
  const more = plan.actions.length - actions.length;
  const notes = [
    formatSummaryLine(plan),
    ...(more > 0 ? [`(${more} more not listed)`] : []),
    ...plan.violations.map((v) => `Guard: ${formatViolation(v)}; apply would stop.`),
    ...plan.conflicts.map((c) => `${describeConflict(c)}.`),
  ];
  return { actions, summary: notes.join(' ') };
}
