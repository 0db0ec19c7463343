import type { AccessTree } from '../model/access-tree.js';
import { normalizeLogin } from '../model/identity.js';

/**
 * The lower-case GitHub logins that may ever approve: the `github` of every ACTIVE person in the
 * base tree. Approvers are people: a team, a `users` list or CODEOWNERS only narrow who among
 * them approves a level. Someone who left (disabled, deleted, or whose file is gone), a bot or an
 * outside collaborator never approves, even while GitHub still lists them in a team.
 * Computed once per evaluation.
 * @example computeApproverLogins(base).has('mjohnson-ex') // true
 */
export function computeApproverLogins(base: AccessTree): Set<string> {
  const logins = new Set<string>();
  for (const { value } of base.people.values())
    if (value.github && value.status === 'active') logins.add(normalizeLogin(value.github));
  return logins;
}
