import type { AccessTree } from '../model/access-tree.js';
import type { Grant, Person, Uid } from '../model/types.js';

/** What a pull request changes, one entry per thing an approver has to judge. */
export type ChangeKind =
  | 'person-added'
  | 'person-removed'
  | 'person-status-changed'
  | 'person-identity-changed'
  | 'grant-added'
  /** The same grant made to last longer (a later or no `expires`) or made permanent: judged as a new grant. */
  | 'grant-extended'
  /** Justification, ticket or an earlier `expires`: nothing widens. */
  | 'grant-changed'
  | 'grant-removed'
  | 'system-added'
  | 'system-removed'
  | 'system-changed'
  | 'role-added'
  | 'role-removed'
  | 'role-changed'
  | 'org-added'
  | 'org-removed'
  | 'org-changed'
  | 'policy-changed'
  | 'codeowners-changed'
  | 'schema-changed'
  /** Any other governed file of the repository: code, workflows, templates, lockfiles, .gitattributes... */
  | 'file-changed';

export const GOVERNANCE_KINDS: ReadonlySet<ChangeKind> = new Set<ChangeKind>([
  'system-added',
  'system-removed',
  'system-changed',
  'role-added',
  'role-removed',
  'role-changed',
  'policy-changed',
  'codeowners-changed',
  'schema-changed',
  'file-changed',
]);

export interface Change {
  kind: ChangeKind;
  /** Whose or what access changes: a uid, a system id, `system/role`, an org id or a file path. */
  subject: string;
  /** The file that says so: the head file, or the base file for something removed. */
  file: string;
  /** 1-based line in `file`. */
  line: number;
  /** The person whose access changes (person and grant changes). */
  person?: Uid;
  /**
   * For a person file added under a uid base does not know: the base uid of the same human (same
   * `employeeId` or GitHub login). Approvers and external status are then judged from that base
   * person, so deleting a file and adding it again under a new name cannot pick a new manager.
   */
  predecessor?: Uid;
  /** The grant as in head (the base grant for `grant-removed`). */
  grant?: Grant;
  /** Top-level fields that differ (`*-changed` kinds). */
  fields?: string[];
  /** Status before and after (`person-status-changed`). */
  from?: string;
  to?: string;
  /**
   * The base path of a file that moved (a renamed person file, a renamed governed file). Code
   * owners are looked up by this path: the owners of what is moved judge the move.
   */
  previousPath?: string;
  /** What happened to the file of a repository change (`codeowners-`, `schema-`, `file-changed`). */
  fileStatus?: 'added' | 'removed' | 'modified' | 'renamed';
}

/** The person a change concerns as base knows them: by uid, else by `predecessor`. */
export function basePersonOf(change: Change, base: AccessTree): Person | undefined {
  if (change.person === undefined) return undefined;
  return (
    base.people.get(change.person)?.value ??
    (change.predecessor === undefined ? undefined : base.people.get(change.predecessor)?.value)
  );
}
