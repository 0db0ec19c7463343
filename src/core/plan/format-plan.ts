import { formatCount } from '../format-count.js';
import { assertNever } from './action.js';
import type { Action, Cause, MemberRemoval } from './action.js';
import type { Plan } from './compute-plan.js';
import type { GuardViolation } from './compute-guard-violations.js';
import { describeConflict, describeNotice } from './plan-findings.js';

/** Counts of a plan, as shown in its summary line and in JSON output. */
export interface PlanSummary {
  create: number;
  rename: number;
  groupsRenamed: number;
  update: number;
  unlock: number;
  lock: number;
  delete: number;
  groupsCreated: number;
  membersAdded: number;
  membersRemoved: number;
  /** Memberships removed because the files no longer grant them (what was applied or provisioned before). */
  revoked: number;
  drift: number;
  expired: number;
}

/** Counts the changes a plan makes. Pure. */
export function summarizePlan(plan: Pick<Plan, 'actions'>): PlanSummary {
  const s: PlanSummary = {
    create: 0,
    rename: 0,
    groupsRenamed: 0,
    update: 0,
    unlock: 0,
    lock: 0,
    delete: 0,
    groupsCreated: 0,
    membersAdded: 0,
    membersRemoved: 0,
    revoked: 0,
    drift: 0,
    expired: 0,
  };
  for (const action of plan.actions) {
    switch (action.type) {
      case 'create-account':
        s.create++;
        break;
      case 'rename-account':
        s.rename++;
        break;
      case 'rename-group':
        s.groupsRenamed++;
        break;
      case 'update-account':
        s.update++;
        break;
      case 'unlock-account':
        s.unlock++;
        break;
      case 'lock-account':
        s.lock++;
        break;
      case 'delete-account':
        s.delete++;
        break;
      case 'create-group':
        s.groupsCreated++;
        s.membersAdded += action.members.length;
        break;
      case 'update-members':
        s.membersAdded += action.add.length;
        s.membersRemoved += action.remove.length;
        s.revoked += action.remove.filter((r) => r.reason === 'revoked').length;
        s.drift += action.remove.filter((r) => r.reason === 'drift').length;
        s.expired += action.remove.filter((r) => r.reason === 'expired').length;
        break;
      default:
        assertNever(action);
    }
  }
  return s;
}

/** One line describing an action, without its cause. No secret is ever part of an action. */
export function describeAction(action: Action): string {
  switch (action.type) {
    case 'create-account':
      return `create account ${action.uid} (${action.attributes.name}, ${action.attributes.mail})`;
    case 'rename-account':
      return `rename account ${action.account.uid} -> ${action.newUid} (${action.account.dn})`;
    case 'update-account':
      return `update account ${action.account.uid}: ${action.changes.map((c) => `${c.attribute} ${quote(c.from)} -> ${quote(c.to)}`).join(', ')}`;
    case 'unlock-account':
      return `unlock account ${action.account.uid}`;
    case 'lock-account':
      return `lock account ${action.account.uid} (${action.reason})`;
    case 'delete-account':
      return `delete account ${action.account.uid} (${action.account.dn})`;
    case 'rename-group':
      return `rename group ${action.from} -> ${action.group} (${action.groupDn})`;
    case 'create-group':
      return `create group ${action.group} with ${action.members.length === 0 ? 'no members' : action.members.map((m) => m.uid).join(', ')}`;
    case 'update-members': {
      const parts = [
        ...action.add.map((m) => `+${m.uid}`),
        ...action.remove.map((r) => `-${memberName(r)} (${r.reason})`),
      ];
      if (action.placeholder === 'add') parts.push('placeholder added: group left with no member');
      if (action.placeholder === 'remove') parts.push('placeholder removed');
      return `group ${action.group}: ${parts.join(', ')}`;
    }
    default:
      return assertNever(action);
  }
}

const SIGN: Record<Action['type'], string> = {
  'create-account': '+',
  'create-group': '+',
  'rename-account': '~',
  'rename-group': '~',
  'update-account': '~',
  'unlock-account': '~',
  'update-members': '~',
  'lock-account': '!',
  'delete-account': '-',
};

/** The plan as text: one line per action with the file position that caused it, then a summary. */
export function formatPlanText(plan: Plan): string {
  const lines = plan.actions.map(
    (a) => `${SIGN[a.type]} ${describeAction(a)}${a.cause ? `  [${formatCause(a.cause)}]` : ''}`,
  );
  lines.push(...plan.conflicts.map((c) => `? ${describeConflict(c)}${c.cause ? `  [${formatCause(c.cause)}]` : ''}`));
  lines.push(...plan.notices.map((n) => `  note: ${describeNotice(n)}${n.cause ? `  [${formatCause(n.cause)}]` : ''}`));
  lines.push(formatSummaryLine(plan));
  lines.push(...plan.violations.map((v) => `guard: ${formatViolation(v)}`));
  return `${lines.join('\n')}\n`;
}

/** The plan as Markdown for pull requests and job summaries. */
export function formatPlanMarkdown(plan: Plan): string {
  let out = '### Directory plan\n\n';
  const findings = [
    ...plan.conflicts.map((c) => `> ${escapeCell(describeConflict(c))}`),
    ...plan.notices.map((n) => `> ${escapeCell(describeNotice(n))}`),
  ];
  const notes = findings.length > 0 ? `\n> [!CAUTION]\n${findings.join('\n')}\n` : '';
  if (plan.actions.length === 0) return `${out}${formatSummaryLine(plan)}\n${notes}`;
  out += '| | change | caused by |\n|---|---|---|\n';
  for (const a of plan.actions)
    out += `| ${SIGN[a.type]} | ${escapeCell(describeAction(a))} | ${a.cause ? `\`${formatCause(a.cause)}\`` : ''} |\n`;
  out += `\n${formatSummaryLine(plan)}\n${notes}`;
  if (plan.violations.length > 0)
    out += `\n> [!WARNING]\n${plan.violations.map((v) => `> ${formatViolation(v)}`).join('\n')}\n`;
  return out;
}

/** The plan as JSON: actions, summary, guard violations and what was read. */
export function formatPlanJson(plan: Plan): string {
  return `${JSON.stringify({ summary: summarizePlan(plan), violations: plan.violations, conflicts: plan.conflicts, notices: plan.notices, observed: plan.observed, actions: plan.actions }, null, 2)}\n`;
}

export function formatSummaryLine(plan: Pick<Plan, 'actions' | 'conflicts'>): string {
  const conflicts = plan.conflicts.length;
  const stopped = conflicts > 0 ? ` ${conflicts} conflict${conflicts === 1 ? '' : 's'} left as they are.` : '';
  if (plan.actions.length === 0)
    return conflicts > 0
      ? `No changes planned, but the directory does not match the access files:${stopped}`
      : 'No changes: the directory matches the access files.';
  const s = summarizePlan(plan);
  return `Plan: ${s.create} to create, ${s.rename} to rename, ${s.update} to update, ${s.unlock} to unlock, ${s.lock} to lock, ${s.delete} to delete; ${formatCount(s.groupsCreated, 'group')} to create${s.groupsRenamed > 0 ? `, ${s.groupsRenamed} to rename` : ''}; ${formatCount(s.membersAdded, 'member')} to add, ${s.membersRemoved} to remove (${s.revoked} revoked, ${s.drift} drift, ${s.expired} expired).${stopped}`;
}

export function formatViolation(v: GuardViolation): string {
  return v.guard === 'maxPercent'
    ? `${v.counts === 'removals' ? `${v.count} people losing memberships` : `${v.count} ${v.counts}`} are ${v.percent}% of the accounts; the policy allows ${v.limit}% per run (guards.maxPercent)`
    : `${v.count} ${v.counts}; the policy allows ${v.limit} per run (guards.${v.guard})`;
}

function formatCause(cause: Cause): string {
  return cause.line === undefined ? cause.file : `${cause.file}:${cause.line}:${cause.column}`;
}

function memberName(r: MemberRemoval): string {
  return r.uid ?? r.dn;
}

function quote(value: string | undefined): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
