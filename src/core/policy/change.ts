import type { AccessTree } from '../model/access-tree.js';
import type { Grant, Person, PersonStatus, Uid } from '../model/types.js';

/** Where a change is, and what it concerns. */
export interface ChangeAt {
  /** Whose or what access changes: a uid, a system id, `system/role`, an org id or a file path. */
  subject: string;
  /** The file that says so: the head file, or the base file for something removed. */
  file: string;
  /** 1-based line in `file`. */
  line: number;
  /**
   * The base path of a file that moved (a renamed person file, a renamed governed file). Code
   * owners are looked up by this path: the owners of what is moved judge the move.
   */
  previousPath?: string;
}

/** What happened to the file of a repository change. */
export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed';

/** The person whose access changes (person and grant changes). */
interface PersonRef {
  person: Uid;
  /**
   * For a person file added under a uid base does not know: the base uid of the same human (same
   * `employeeId` or GitHub login). Approvers and external status are then judged from that base
   * person, so deleting a file and adding it again under a new name cannot pick a new manager.
   */
  predecessor?: Uid;
  grant?: undefined;
}

/** Changes that concern no person: the catalog, organizations and the governance files. */
interface NoPerson {
  person?: undefined;
  predecessor?: undefined;
  grant?: undefined;
}

/**
 * What a pull request changes, one entry per thing an approver has to judge: a union keyed by
 * `kind`, so `switch (change.kind)` narrows to the fields that kind carries.
 */
export type Change =
  | (ChangeAt & PersonRef & { kind: 'person-added' | 'person-removed' })
  /** Status before and after. */
  | (ChangeAt & PersonRef & { kind: 'person-status-changed'; from: PersonStatus; to: PersonStatus })
  /** `fields`: the top-level fields that differ. */
  | (ChangeAt & PersonRef & { kind: 'person-identity-changed'; fields: string[] })
  /** The grant as in head (the base grant for `grant-removed`). */
  | (ChangeAt & Omit<PersonRef, 'grant'> & { kind: 'grant-added' | 'grant-removed'; grant: Grant })
  /**
   * `grant-extended`: the same grant made to last longer (a later or no `expires`) or made
   * permanent, judged as a new grant. `grant-changed`: justification, ticket or an earlier
   * `expires`; nothing widens. `fields`: the grant's fields that differ.
   */
  | (ChangeAt & Omit<PersonRef, 'grant'> & { kind: 'grant-extended' | 'grant-changed'; grant: Grant; fields: string[] })
  | (ChangeAt &
      NoPerson & {
        kind: 'system-added' | 'system-removed' | 'role-added' | 'role-removed' | 'org-added' | 'org-removed';
      })
  /**
   * A governed file outside the access entities (see governed-paths.ts): CODEOWNERS in any of
   * GitHub's locations, the schemas, or any other governed file (`file-changed`: code, workflows,
   * templates, lockfiles, .gitattributes...). A rename carries `previousPath`.
   */
  | (ChangeAt & NoPerson & { kind: 'codeowners-changed' | 'schema-changed' | 'file-changed'; fileStatus: FileStatus })
  | (ChangeAt & NoPerson & { kind: 'system-changed' | 'role-changed' | 'org-changed'; fields: string[] })
  /** `fields` is absent when the policy file appeared or disappeared, empty when only comments or layout changed. */
  | (ChangeAt & NoPerson & { kind: 'policy-changed'; fields?: string[] });

export type ChangeKind = Change['kind'];

/** A change of one kind: `ChangeOf<'grant-added'>`. */
export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;

/** The person a change concerns as base knows them: by uid, else by `predecessor`. */
export function basePersonOf(change: Change, base: AccessTree): Person | undefined {
  if (change.person === undefined) return undefined;
  return (
    base.people.get(change.person)?.value ??
    (change.predecessor === undefined ? undefined : base.people.get(change.predecessor)?.value)
  );
}
