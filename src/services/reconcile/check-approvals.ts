import { readAccessFilesAt, readFileVersions } from '../../adapters/git/read-access-files-at.js';
import { resolveCommit, runGit } from '../../adapters/git/run-git.js';
import { accessStateOfTree, personStateOfText } from '../../core/audit/access-state.js';
import type { PersonAccessState } from '../../core/audit/access-state.js';
import { readApprovalFacts, readLastApplied } from '../../core/audit/approval-records.js';
import type { ApprovalCheck, HoldOverride } from '../../core/audit/approval-records.js';
import { computeApprovalHolds, withholdFromState } from '../../core/audit/compute-approval-holds.js';
import type { ChainCommit, CommitChanges, HeldItem } from '../../core/audit/compute-approval-holds.js';
import type { AuditRecord } from '../../core/audit/audit-event.js';
import type { AccessTree } from '../../core/model/access-tree.js';
import type { Uid } from '../../core/model/types.js';
import { ApprovalHoldError } from '../../errors.js';
import type { AccessSource } from './resolve-access-source.js';

/** What the directory last got, as the audit log and git tell it. */
export type AppliedBaseline =
  /** No apply recorded yet (or outside git): nothing to compare with. */
  | { kind: 'none' }
  /** The last applied commit is not in this repository (history rewritten, a shallow clone). */
  | { kind: 'missing'; commit: string }
  /** The last applied commit, its people less what that run held, and what it held. */
  | { kind: 'applied'; commit: string; state: Map<Uid, PersonAccessState>; held: HeldItem[] };

/**
 * Reads what the directory last got: the newest apply record's commit, that commit's person files
 * (two git processes), less what that run held back.
 */
export async function readAppliedBaseline(
  source: AccessSource,
  records: readonly AuditRecord[],
): Promise<AppliedBaseline> {
  const last = readLastApplied(records);
  if (source.kind !== 'commit' || last === undefined) return { kind: 'none' };
  if ((await resolveCommit(source.repoDir, last.commit)) === undefined) return { kind: 'missing', commit: last.commit };
  const files = await readAccessFilesAt(source.repoDir, last.commit, peopleRootOf(source));
  const state = new Map<Uid, PersonAccessState>();
  for (const f of files) {
    const person = 'content' in f ? personStateOfText(String(f.content)) : undefined;
    if (person) state.set(uidOfPath(f.path), person);
  }
  return { kind: 'applied', commit: last.commit, state: withholdFromState(state, last.held), held: last.held };
}

export interface CheckApprovalsOptions {
  source: AccessSource;
  /** The validated tree of the commit being applied. */
  tree: AccessTree;
  baseline: AppliedBaseline;
  records: readonly AuditRecord[];
  /** The policy's `reconcile.requireApproval`. */
  requireApproval: boolean;
  /** `--override-holds`: release every hold, naming who and why. */
  override?: HoldOverride;
}

/**
 * Decides what of the commit being applied may be provisioned (see computeApprovalHolds), from
 * the baseline, the first-parent line and the person files each commit since changed. A
 * constant number of git processes.
 */
export async function checkApprovals(options: CheckApprovalsOptions): Promise<ApprovalCheck> {
  const { source, baseline } = options;
  if (!options.requireApproval) return { mode: 'off' };
  if (source.kind !== 'commit')
    return { mode: 'unavailable', reason: 'not a git checkout: there is no commit to trace approvals to' };
  const adopt = (why: 'first-apply' | 'override'): ApprovalCheck => ({
    mode: 'baseline',
    commit: source.commit,
    tree: source.tree,
    why,
    override: options.override,
  });
  if (baseline.kind === 'none') return adopt('first-apply');
  if (baseline.kind === 'missing') {
    if (options.override) return adopt('override');
    throw new ApprovalHoldError(
      'unknown-baseline',
      `the last applied commit ${baseline.commit} is not in this repository (history rewritten, or a shallow clone): ` +
        'what was approved since cannot be told; fetch the whole history, or adopt the current state with --override-holds',
    );
  }
  const repo = source.repoDir;
  const [chain, changes] = await Promise.all([
    readFirstParentChain(repo, source.commit),
    readPeopleChanges(repo, baseline.commit, source.commit, peopleRootOf(source)),
  ]);
  const { held, approved } = computeApprovalHolds({
    baseline: baseline.state,
    target: accessStateOfTree(options.tree),
    chain,
    changes,
    previouslyHeld: baseline.held,
    facts: readApprovalFacts(options.records),
    targetCommit: source.commit,
  });
  if (options.override && held.length > 0)
    return { mode: 'checked', since: baseline.commit, held: [], approved, released: held, override: options.override };
  return { mode: 'checked', since: baseline.commit, held, approved, released: [] };
}

function peopleRootOf(source: Extract<AccessSource, { kind: 'commit' }>): string {
  return source.root === '.' ? 'people' : `${source.root}/people`;
}

/** `tip`'s first-parent line, oldest first, with each commit's parents: one git process. */
async function readFirstParentChain(repo: string, tip: string): Promise<ChainCommit[]> {
  const out = (await runGit(['rev-list', '--first-parent', '--parents', tip], { cwd: repo })).toString('utf8');
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => {
      const [sha = '', ...parents] = line.split(' ');
      return { sha, parents };
    })
    .reverse();
}

/** What each first-parent commit after `since` up to `tip` changed in person files, oldest first. */
async function readPeopleChanges(
  repo: string,
  since: string,
  tip: string,
  peopleRoot: string,
): Promise<CommitChanges[]> {
  const log = (
    await runGit(
      [
        'log',
        '--first-parent',
        '--diff-merges=first-parent',
        '--name-only',
        '--no-renames',
        '--reverse',
        '--format=%x1e%H',
        tip,
        `^${since}`,
        '--',
        `${peopleRoot}/`,
      ],
      { cwd: repo },
    )
  ).toString('utf8');
  const commits = log
    .split('\x1e')
    .filter((c) => c.trim() !== '')
    .map((chunk) => {
      const [sha = '', ...paths] = chunk.split('\n').filter((l) => l !== '');
      return { sha, paths: paths.filter((p) => /\.ya?ml$/.test(p)) };
    });
  const pairs = commits.flatMap((c) => c.paths.map((p) => [c.sha, p] as const));
  const versions = await readFileVersions(repo, pairs);
  const byCommit = new Map<string, Map<Uid, { before?: PersonAccessState; after?: PersonAccessState }>>();
  pairs.forEach(([sha, path], i) => {
    const [before, after] = versions[i]!;
    const people = byCommit.get(sha) ?? new Map();
    people.set(uidOfPath(path), { before: personStateOfText(before), after: personStateOfText(after) });
    byCommit.set(sha, people);
  });
  return commits.map((c) => ({
    sha: c.sha,
    people: new Map(
      [...(byCommit.get(c.sha) ?? new Map<Uid, { before?: PersonAccessState; after?: PersonAccessState }>())].map(
        ([uid, v]) => [uid, { before: v.before, after: v.after }],
      ),
    ),
  }));
}

function uidOfPath(path: string): Uid {
  return (path.split('/').pop() ?? '').replace(/\.ya?ml$/, '');
}
