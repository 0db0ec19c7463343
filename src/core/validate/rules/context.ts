import type { Diagnostic } from '../../diagnostics.js';
import type { AccessTree } from '../../model/access-tree.js';

/** An identifier that once belonged to someone: from git history or the policy's tombstones. */
export interface RetiredIdentity {
  uid?: string;
  email?: string;
  employeeId?: string;
  name?: string;
  /** For a renamed person file: the uid the same person continues under. */
  renamedTo?: string;
  /** Where we learnt it, shown to the user: `commit 1a2b3c4` or `access/policy.yaml:40`. */
  evidence: string;
}

export interface RuleContext {
  tree: AccessTree;
  /** Time of the check, in milliseconds since the epoch. */
  now: number;
  retired: readonly RetiredIdentity[];
}

export type Rule = (context: RuleContext) => Diagnostic[];
