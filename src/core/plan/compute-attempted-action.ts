import type { Action } from './action.js';
import type { ActionResult } from './compute-apply-events.js';

/**
 * What apply attempts for a planned action, given the accounts whose creation failed in an
 * earlier phase: a member whose account does not exist cannot be added (Active Directory fails
 * the whole modify; OpenLDAP would add a dangling DN), so those additions are dropped. The plan
 * itself is a value and stays as computed; the result records this attempted action.
 * Returns the action unchanged when nothing depends on a failure, or a `skipped` result when
 * nothing is left to do.
 * @example computeAttemptedAction(addJsmithToCrm, new Set(['jsmith'])) // { skipped: { action, status: 'skipped', error: { code: 'dependency-failed', ... } } }
 */
export function computeAttemptedAction(
  action: Action,
  failedAccounts: ReadonlySet<string>,
): { attempt: Action } | { skipped: ActionResult } {
  const attempt = withoutFailedAccounts(action, failedAccounts);
  if (attempt.type === 'update-members' && attempt.add.length + attempt.remove.length === 0 && !attempt.placeholder)
    return {
      skipped: {
        action: attempt,
        status: 'skipped',
        error: {
          code: 'dependency-failed',
          message: 'every member to add belongs to an account whose creation failed',
        },
      },
    };
  return { attempt };
}

function withoutFailedAccounts(action: Action, failed: ReadonlySet<string>): Action {
  if (failed.size === 0) return action;
  if (action.type === 'create-group') return { ...action, members: action.members.filter((m) => !failed.has(m.uid)) };
  if (action.type !== 'update-members') return action;
  const add = action.add.filter((m) => !failed.has(m.uid));
  if (add.length === action.add.length) return action;
  // Without its new members the group may be left with none: keep the placeholder then.
  const { placeholder, ...rest } = action;
  return add.length === 0 && placeholder === 'remove' ? { ...rest, add } : { ...action, add };
}
