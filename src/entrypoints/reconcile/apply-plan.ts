import { PHASES } from '../../core/plan/action.js';
import type { Action } from '../../core/plan/action.js';
import type { ActionResult } from '../../core/plan/compute-apply-events.js';
import type { Plan } from '../../core/plan/compute-plan.js';
import type { Directory } from '../../core/plan/directory.js';
import { DirectoryError } from '../../errors.js';

export type CreateAccountAction = Extract<Action, { type: 'create-account' }>;

export interface ApplyPlanOptions {
  directory: Directory;
  /** A fresh temporary password per new account (a CSPRNG; see adapters/crypto). */
  generatePassword: () => string;
  /** Writes in flight at once (default 32): the directory, not the round trip, should be the limit. */
  concurrency?: number;
  /**
   * Called once an account exists, with its temporary password: the only place the password goes
   * (the notifier). A throw becomes the result's `warning`; the account stays created.
   */
  onAccountCreated?: (action: CreateAccountAction, password: string) => Promise<void>;
  /** Called after each action with the number finished and the total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Performs a plan's actions phase by phase (renames, then accounts, then groups, then locks and
 * deletions), several writes in flight within a phase. Never throws for one action: each gets a
 * result, in plan order. Member additions for an account whose creation failed are dropped
 * (and the group change reported as what was actually attempted).
 */
export async function applyPlan(plan: Plan, options: ApplyPlanOptions): Promise<ActionResult[]> {
  const results: ActionResult[] = new Array(plan.actions.length);
  const failedCreates = new Set<string>();
  const concurrency = Math.max(1, options.concurrency ?? 32);
  let done = 0;

  for (const types of PHASES) {
    const indexes = plan.actions.flatMap((a, i) => (types.includes(a.type) ? [i] : []));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < indexes.length) {
        const index = indexes[next++]!;
        results[index] = await performOne(withoutFailedCreates(plan.actions[index]!, failedCreates), options);
        const result = results[index]!;
        if (result.action.type === 'create-account' && result.status === 'failed') failedCreates.add(result.action.uid);
        options.onProgress?.(++done, plan.actions.length);
      }
    };
    // Renames one at a time, in plan order: a rename that frees a uid runs before the one taking it.
    const width = types.includes('rename-account') ? 1 : concurrency;
    await Promise.all(Array.from({ length: Math.min(width, indexes.length) }, worker));
  }
  return results;
}

async function performOne(action: Action, options: ApplyPlanOptions): Promise<ActionResult> {
  if (action.type === 'update-members' && action.add.length + action.remove.length === 0 && !action.placeholder) {
    return {
      action,
      status: 'skipped',
      error: { code: 'dependency-failed', message: 'every member to add belongs to an account whose creation failed' },
    };
  }
  const password = action.type === 'create-account' ? options.generatePassword() : undefined;
  let status: 'done' | 'already';
  try {
    status = await options.directory.write(action, password === undefined ? {} : { password });
  } catch (error) {
    return { action, status: 'failed', error: errorOf(error) };
  }
  const result: ActionResult = { action, status };
  // An account that already existed got no new password: there is nothing to hand over.
  if (action.type === 'create-account' && status === 'done' && password !== undefined && options.onAccountCreated) {
    try {
      await options.onAccountCreated(action, password);
    } catch (error) {
      result.warning = { code: 'notify-failed', message: error instanceof Error ? error.message : String(error) };
    }
  }
  return result;
}

function withoutFailedCreates(action: Action, failed: ReadonlySet<string>): Action {
  if (failed.size === 0) return action;
  if (action.type === 'update-members') {
    const add = action.add.filter((m) => !failed.has(m.uid));
    if (add.length === action.add.length) return action;
    // Without its new members the group may be left with none: keep the placeholder then.
    const { placeholder, ...rest } = action;
    return add.length === 0 && placeholder === 'remove' ? { ...rest, add } : { ...action, add };
  }
  if (action.type === 'create-group') return { ...action, members: action.members.filter((m) => !failed.has(m.uid)) };
  return action;
}

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof DirectoryError) {
    const cause = error.cause instanceof Error ? error.cause.name : undefined;
    return { code: error.code === 'write-failed' && cause ? cause : error.code, message: error.message };
  }
  return {
    code: error instanceof Error ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
  };
}
