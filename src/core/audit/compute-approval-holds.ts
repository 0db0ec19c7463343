/**
 * Provision only approved access. Between the state the directory last received and the commit
 * being applied, every widening (a new or re-enabled account, a new grant, a grant made to last
 * longer) must have arrived through a pull request whose approval is on the audit log: the
 * approval of that pull request's head, merged onto the applied branch at or after the commit
 * that introduced the widening. Anything else is held back. Revocations are never held. Pure.
 */
import type { AccessTree } from '../model/access-tree.js';
import type { Grant, PersonStatus, Uid } from '../model/types.js';
import { endsLater, grantKey } from './access-state.js';
import type { AccessState, GrantForm, PersonAccessState } from './access-state.js';

/** Something the commit gives that the directory did not get yet. */
export type Widening =
  /** A person who is active now and was not (absent, disabled or deleted) in the baseline. */
  | { kind: 'account'; uid: Uid; baseline: { status: string } | null }
  /** A grant present now, absent from the baseline or ending earlier there. */
  | { kind: 'grant'; uid: Uid; system: string; role: string; expires?: string; baseline: { expires?: string } | null };

/** A widening held back: not provisioned, reported, logged (`apply.held`). */
export type HeldItem = Widening & {
  /** The commit on the applied branch that introduced it in its present form. */
  introducedBy: string;
};

export interface ApprovedItem {
  item: Widening;
  introducedBy: string;
  pr: number;
  /** The approved head of that pull request. */
  head: string;
  /** The commit on the applied branch that brought that head in. */
  mergedAs: string;
}

/** One change an approval covered, as the app records it in `request.approved`. */
export interface ApprovedChange {
  kind: string;
  /** The person whose access changes (`subject` for person changes). */
  person?: string;
  grant?: { system: string; role: string; expires?: string };
}

/** The approval records that matter here. */
export interface ApprovalFacts {
  /** `request.approved`: the pull request, its approved head, and what the approval covered. */
  approvals: ReadonlyArray<{ pr: number; head: string; changes: readonly ApprovedChange[] }>;
  /** `request.merged`: the commit a pull request's head was merged as (merge, squash or rebase). */
  merges: ReadonlyArray<{ pr: number; head: string; commit: string }>;
}

/** A commit on the applied branch's first-parent line, oldest first. */
export interface ChainCommit {
  sha: string;
  parents: readonly string[];
}

/** Person files a first-parent commit changed: uid -> state before (first parent) and after. */
export interface CommitChanges {
  sha: string;
  people: ReadonlyMap<Uid, { before: PersonAccessState | undefined; after: PersonAccessState | undefined }>;
}

/** Every widening from `baseline` (what the directory last received) to `target`. */
export function computeWidenings(baseline: AccessState, target: AccessState): Widening[] {
  const out: Widening[] = [];
  for (const [uid, now] of target) {
    if (now.status !== 'active') continue; // a disabled or deleted person is provisioned nothing
    const before = baseline.get(uid);
    if (before?.status !== 'active')
      out.push({ kind: 'account', uid, baseline: before ? { status: before.status } : null });
    for (const [key, grant] of now.grants) {
      const old = before?.status === 'active' ? before.grants.get(key) : undefined;
      if (old && !endsLater(old.expires, grant.expires)) continue;
      out.push({
        kind: 'grant',
        uid,
        system: grant.system,
        role: grant.role,
        ...(grant.expires ? { expires: grant.expires } : {}),
        baseline: old ? { ...(old.expires ? { expires: old.expires } : {}) } : null,
      });
    }
  }
  return out;
}

/** The state as the directory got it: `state` with each held widening reverted to its baseline. */
export function withholdFromState(state: AccessState, held: readonly Widening[]): Map<Uid, PersonAccessState> {
  const out = new Map(state);
  for (const item of held) {
    const person = out.get(item.uid);
    if (!person) continue;
    if (item.kind === 'account') {
      if (item.baseline === null) out.delete(item.uid);
      else out.set(item.uid, { ...person, status: item.baseline.status });
      continue;
    }
    const grants = new Map(person.grants);
    const key = grantKey(item);
    if (item.baseline === null) grants.delete(key);
    else grants.set(key, { system: item.system, role: item.role, ...item.baseline });
    out.set(item.uid, { ...person, grants });
  }
  return out;
}

/** Whether `state` holds `item` in its present form. */
function holdsForm(state: PersonAccessState | undefined, item: Widening): boolean {
  if (state?.status !== 'active') return false;
  if (item.kind === 'account') return true;
  const grant = state.grants.get(grantKey(item));
  return grant !== undefined && grant.expires === item.expires;
}

/**
 * The newest commit in `changes` (oldest first) where `item` came into its present form, or
 * undefined when none of them did (it was already so before them).
 */
export function findIntroducingCommit(item: Widening, changes: readonly CommitChanges[]): string | undefined {
  for (let i = changes.length - 1; i >= 0; i--) {
    const c = changes[i]!.people.get(item.uid);
    if (c && holdsForm(c.after, item) && !holdsForm(c.before, item)) return changes[i]!.sha;
  }
  return undefined;
}

/** Whether an approved change covers `item`: the same grant, or the whole person (new, re-enabled, a new human). */
function covers(change: ApprovedChange, item: Widening): boolean {
  if (change.person !== item.uid) return false;
  if (change.kind === 'person-added' || change.kind === 'person-identity-changed') return true;
  if (change.kind === 'person-status-changed') return true;
  if (item.kind !== 'grant') return false;
  if (change.kind !== 'grant-added' && change.kind !== 'grant-extended') return false;
  const g = change.grant;
  return g !== undefined && g.system === item.system && g.role === item.role && g.expires === item.expires;
}

/**
 * Each approved pull request's head is brought in by the first commit of the chain that is that
 * head, has it as a parent (a merge), or was recorded as its merge (squash, rebase). Only that
 * first commit counts: merging an old approved head again later (after a revocation) is no approval.
 */
function mergePositions(chain: readonly ChainCommit[], facts: ApprovalFacts): Map<string, number> {
  const position = new Map(chain.map((c, i) => [c.sha, i]));
  // The first chain commit having each commit as a parent (merges bring a head in as a parent).
  const firstChild = new Map<string, number>();
  chain.forEach((c, i) => {
    for (const p of c.parents) if (!firstChild.has(p)) firstChild.set(p, i);
  });
  const byHead = new Map<string, number>();
  const note = (key: string, at: number | undefined) => {
    if (at === undefined) return;
    const seen = byHead.get(key);
    if (seen === undefined || at < seen) byHead.set(key, at);
  };
  for (const a of facts.approvals) {
    const key = `${a.pr}\u0000${a.head}`;
    note(key, position.get(a.head));
    note(key, firstChild.get(a.head));
    for (const m of facts.merges) if (m.pr === a.pr && m.head === a.head) note(key, position.get(m.commit));
  }
  return byHead;
}

export interface HoldInput {
  /** What the directory last received (the last applied commit, less what that run held). */
  baseline: AccessState;
  target: AccessState;
  /** The applied branch's first-parent line up to the target commit, oldest first. */
  chain: readonly ChainCommit[];
  /** Person-file changes of the chain's commits after the baseline commit, oldest first. */
  changes: readonly CommitChanges[];
  /** What the previous run held, to keep the commit that introduced each. */
  previouslyHeld: readonly HeldItem[];
  facts: ApprovalFacts;
  /** The commit being applied (the last of `chain`). */
  targetCommit: string;
}

/** Splits the widenings into approved and held. */
export function computeApprovalHolds(input: HoldInput): { held: HeldItem[]; approved: ApprovedItem[] } {
  const position = new Map(input.chain.map((c, i) => [c.sha, i]));
  const merged = mergePositions(input.chain, input.facts);
  const held: HeldItem[] = [];
  const approved: ApprovedItem[] = [];
  for (const item of computeWidenings(input.baseline, input.target)) {
    const earlier = input.previouslyHeld.find((h) => sameItem(h, item));
    const introducedBy = findIntroducingCommit(item, input.changes) ?? earlier?.introducedBy ?? input.targetCommit;
    // Unknown position (not on the line, e.g. history rewritten): no merge can be shown to follow it.
    const from = position.get(introducedBy) ?? Number.POSITIVE_INFINITY;
    const by = input.facts.approvals.find((a) => {
      const at = merged.get(`${a.pr}\u0000${a.head}`);
      return at !== undefined && at >= from && a.changes.some((c) => covers(c, item));
    });
    if (by)
      approved.push({
        item,
        introducedBy,
        pr: by.pr,
        head: by.head,
        mergedAs: input.chain[merged.get(`${by.pr}\u0000${by.head}`)!]!.sha,
      });
    else held.push({ ...item, introducedBy });
  }
  return { held, approved };
}

export function sameItem(a: Widening, b: Widening): boolean {
  if (a.uid !== b.uid || a.kind !== b.kind) return false;
  if (a.kind === 'account' || b.kind === 'account') return true;
  return a.system === b.system && a.role === b.role && a.expires === b.expires;
}

/** A held item in one line: `lmartin: +production/admin` or `lmartin: account`. */
export function describeHeld(item: Widening): string {
  if (item.kind === 'account')
    return `${item.uid}: account (${item.baseline ? `${item.baseline.status} until approved` : 'not created until approved'})`;
  const form = item.expires ? ` until ${item.expires}` : '';
  return item.baseline
    ? `${item.uid}: ${item.system}/${item.role} extended to${form || ' no end'} (kept at ${item.baseline.expires ?? 'no end'})`
    : `${item.uid}: +${item.system}/${item.role}${form}`;
}

/**
 * The tree the plan is computed from: `tree` with each held widening reverted to its baseline (a
 * held new person is left out, so no account is created; a held re-enable keeps the old status;
 * a held grant is left out or keeps its old end). Each file keeps its source, for positions.
 */
export function withholdFromTree(tree: AccessTree, held: readonly Widening[]): AccessTree {
  if (held.length === 0) return tree;
  const people = new Map(tree.people);
  for (const item of held) {
    const entity = people.get(item.uid);
    if (!entity) continue;
    const person = entity.value;
    if (item.kind === 'account') {
      if (item.baseline === null) people.delete(item.uid);
      else people.set(item.uid, { ...entity, value: { ...person, status: item.baseline.status as PersonStatus } });
      continue;
    }
    const key = grantKey(item);
    const grants: Grant[] =
      item.baseline === null
        ? person.grants.filter((g) => grantKey(g) !== key)
        : person.grants.map((g) => {
            if (grantKey(g) !== key) return g;
            const { expires: _expires, ...rest } = g;
            return { ...rest, ...item.baseline };
          });
    people.set(item.uid, { ...entity, value: { ...person, grants } });
  }
  return { ...tree, people };
}

export type { GrantForm };
