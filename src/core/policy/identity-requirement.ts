import type { AccessTree } from '../model/access-tree.js';
import { normalizeEmail, normalizeUid } from '../model/identity.js';
import type { Person, Policy, TierId } from '../model/types.js';
import type { BlockReason } from './requirement.js';

/** Identity fields that approvals and privileged access are judged on: changing them needs the elevated tier. */
export const SENSITIVE_FIELDS: ReadonlySet<string> = new Set(['type', 'github', 'attestations', 'employeeId']);

// One index per head tree: every uid and email the head files still record.
const retained = new WeakMap<AccessTree, Set<string>>();

/**
 * The identifiers (`uid:jsmith`, `email:jane@example.org`) of a base person file that head no
 * longer records anywhere: not as a uid or email of any person file, not under any
 * `formerUids`/`formerEmails`, not as a policy tombstone. The gate reads no git history, so the
 * files themselves are the register of every identifier ever used: letting one leave it would let
 * a later pull request give it to someone else unseen (a uid or email is never reused).
 * @example computeDroppedIdentifiers(jsmithInBase, head) // ['uid:jsmith'] after a rename without formerUids
 */
export function computeDroppedIdentifiers(person: Person, head: AccessTree): string[] {
  let kept = retained.get(head);
  if (kept === undefined) {
    kept = new Set();
    for (const { value } of head.people.values()) for (const id of identifiersOf(value)) kept.add(id);
    for (const t of head.policy?.value.tombstones ?? []) {
      if (t.uid !== undefined) kept.add(`uid:${normalizeUid(t.uid)}`);
      if (t.email !== undefined) kept.add(`email:${normalizeEmail(t.email)}`);
    }
    retained.set(head, kept);
  }
  return identifiersOf(person).filter((id) => !kept.has(id));
}

function identifiersOf(p: Person): string[] {
  return [
    ...[p.uid, ...(p.formerUids ?? [])].map((u) => `uid:${normalizeUid(u)}`),
    ...[p.email, ...(p.formerEmails ?? [])].map((e) => `email:${normalizeEmail(e)}`),
  ];
}

/** The verdict on a change of identity fields, before the levels are looked up. */
export interface IdentityJudgement {
  /** The tier the fields alone need. */
  tier: TierId | 'highest';
  /** Whether every grant the person holds must be judged again (someone else may now hold them). */
  regrant: boolean;
  /** Whether the external level joins. */
  external: boolean;
  blocked: BlockReason[];
}

/**
 * How a change of identity fields of one human (in place, or across a rename) is judged, from the
 * person as in base and as in head:
 * - an employeeId replaced by another is another human taking over the uid and email: refused
 *   (UID_REUSED); an employeeId removed makes the file anyone's: every grant is judged again;
 * - `type` changed away from `external` is an escalation: the highest tier plus the external level;
 * - `type`, `github`, `attestations` or `employeeId` need the elevated tier, other fields (name,
 *   email, manager, department, uid) the standard one; `type` or `sponsor` add the external level;
 * - an identifier that leaves the files is refused (IDENTIFIER_DROPPED).
 */
export function judgeIdentityChange(
  fields: readonly string[],
  before: Person | undefined,
  after: Person | undefined,
  head: AccessTree,
  policy: Policy,
): IdentityJudgement {
  const blocked: BlockReason[] = [];
  if (before && computeDroppedIdentifiers(before, head).length > 0) blocked.push('IDENTIFIER_DROPPED');
  const baseId = before?.employeeId;
  const headId = after?.employeeId;
  if (baseId !== undefined && headId !== undefined && baseId.trim().toLowerCase() !== headId.trim().toLowerCase())
    blocked.push('UID_REUSED');
  const leavesExternal = before?.type === 'external' && after !== undefined && after.type !== 'external';
  const external =
    (fields.includes('type') || fields.includes('sponsor') || leavesExternal) && policy.external !== undefined;
  return {
    tier: leavesExternal ? 'highest' : fields.some((f) => SENSITIVE_FIELDS.has(f)) ? 'elevated' : 'standard',
    regrant: fields.includes('employeeId') && baseId !== undefined,
    external,
    blocked,
  };
}
