import { PHASES } from '../../core/plan/action.js';
import type { Action } from '../../core/plan/action.js';
import type { ActionResult } from '../../core/plan/compute-apply-events.js';
import { computeAttemptedAction } from '../../core/plan/compute-attempted-action.js';
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
  const concurrency = Math.max(1, options.concurrency ?? 32);
  let done = 0;

  for (const types of PHASES) {
    // Accounts come in an earlier phase than groups, so every failed creation is known here;
    // what the phase attempts is decided by the core from the results so far, not while writing.
    const failedAccounts = new Set(
      results.flatMap((r) => (r.action.type === 'create-account' && r.status === 'failed' ? [r.action.uid] : [])),
    );
    const phase = plan.actions.flatMap((action, index) =>
      types.includes(action.type) ? [{ index, step: computeAttemptedAction(action, failedAccounts) }] : [],
    );
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let item = phase[next++]; item !== undefined; item = phase[next++]) {
        results[item.index] = 'skipped' in item.step ? item.step.skipped : await performOne(item.step.attempt, options);
        options.onProgress?.(++done, plan.actions.length);
      }
    };
    // Renames one at a time, in plan order: a rename that frees a uid runs before the one taking it.
    const width = types.includes('rename-account') ? 1 : concurrency;
    await Promise.all(Array.from({ length: Math.min(width, phase.length) }, worker));
  }
  return flushed(results, options.directory);
}

/** After a directory's flush failed, nothing the run did was kept: every `done` is a failure. */
async function flushed(results: ActionResult[], directory: Directory): Promise<ActionResult[]> {
  if (!directory.flush) return results;
  try {
    await directory.flush();
    return results;
  } catch (error) {
    const lost = errorOf(error);
    return results.map((r) => (r.status === 'done' ? { action: r.action, status: 'failed', error: lost } : r));
  }
}

async function performOne(action: Action, options: ApplyPlanOptions): Promise<ActionResult> {
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
