import type { AccessTree } from '../model/access-tree.js';

/**
 * The logins of people who are disabled or deleted in base: someone who has left must not approve
 * because their GitHub account is still in a team or a list. Computed once per evaluation.
 * @example computeInactiveLogins(base) // Set { 'ekim-old' }
 */
export function computeInactiveLogins(base: AccessTree): Set<string> {
  const logins = new Set<string>();
  for (const { value } of base.people.values())
    if (value.github && value.status !== 'active') logins.add(value.github.toLowerCase());
  return logins;
}
