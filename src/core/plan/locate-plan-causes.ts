import { locate } from '../source.js';
import type { SourceFile } from '../source.js';
import type { Action, Cause } from './action.js';
import type { Plan } from './compute-plan.js';

/**
 * The plan with the line and column of every cause filled in from the parsed files, for showing
 * it (text, Markdown, JSON). Pure; causes whose file is not among `sources` keep only the file.
 */
export function locatePlanCauses(plan: Plan, sources: readonly SourceFile[]): Plan {
  const byPath = new Map(sources.map((s) => [s.path, s]));
  const at = <T extends { cause?: Cause }>(item: T): T => {
    const cause = item.cause;
    const source = cause ? byPath.get(cause.file) : undefined;
    if (!cause || !source || cause.line !== undefined) return item;
    return { ...item, cause: { ...cause, ...locate(source, cause.path) } };
  };
  const actions = plan.actions.map((action): Action => {
    const located = at(action);
    if (located.type === 'create-group') return { ...located, members: located.members.map(at) };
    if (located.type === 'update-members')
      return { ...located, add: located.add.map(at), remove: located.remove.map(at) };
    return located;
  });
  return { ...plan, actions, conflicts: plan.conflicts.map(at), notices: plan.notices.map(at) };
}
