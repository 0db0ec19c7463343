import { readAccessFilesAt, readFileVersions } from '../../adapters/git/read-access-files-at.js';
import { resolveCommit, runGit } from '../../adapters/git/run-git.js';
import { accessStateOfTree, personStateOfText } from '../../core/audit/access-state.js';
import type { PersonAccessState } from '../../core/audit/access-state.js';
import { readApprovalFacts, readLastApplied } from '../../core/audit/approval-records.js';
import type { ApprovalCheck, HoldOverride } from '../../core/audit/approval-records.js';
import { computeApprovalHolds, withholdFromState } from '../../core/audit/compute-approval-holds.js';
import type { ChainCommit, CommitChanges } from '../../core/audit/compute-approval-holds.js';
import type { AuditRecord } from '../../core/audit/audit-event.js';
import type { AccessTree } from '../../core/model/access-tree.js';
import type { Uid } from '../../core/model/types.js';
import { ApprovalHoldError } from '../../errors.js';
import type { AccessSource } from './resolve-access-source.js';

export interface CheckApprovalsOptions {
  source: AccessSource;
  /** The validated tree of the commit being applied. */
  tree: AccessTree;
  records: readonly AuditRecord[];
  /** The policy's `reconcile.requireApproval`. */
  requireApproval: boolean;
  /** `--override-holds`: release every hold, naming who and why. */
  override?: HoldOverride;
}

/**
 * Decides what of the commit being applied may be provisioned (see computeApprovalHolds): reads
 * the last applied commit from the audit log, that commit's person files, the first-parent line
 * and the person files each commit since changed. A constant number of git processes.
 */
export async function checkApprovals(options: CheckApprovalsOptions): Promise<ApprovalCheck> {
  const { source } = options;
  if (!options.requireApproval) return { mode: 'off' };
  if (source.kind !== 'commit')
    return { mode: 'unavailable', reason: 'not a git checkout: there is no commit to trace approvals to' };
  const last = readLastApplied(options.records);
  if (last === undefined)
    return {
      mode: 'baseline',
      commit: source.commit,
      tree: source.tree,
      why: 'first-apply',
      override: options.override,
    };
  const repo = source.repoDir;
  if ((await resolveCommit(repo, last.commit)) === undefined) {
    if (options.override)
      return {
        mode: 'baseline',
        commit: source.commit,
        tree: source.tree,
        why: 'override',
        override: options.override,
      };
    throw new ApprovalHoldError(
      'unknown-baseline',
      `the last applied commit ${last.commit} is not in this repository (history rewritten, or a shallow clone): ` +
        'what was approved since cannot be told; fetch the whole history, or adopt the current state with --override-holds',
    );
  }
  const peopleRoot = source.root === '.' ? 'people' : `${source.root}/people`;
  const [baseFiles, chain, changes] = await Promise.all([
    readAccessFilesAt(repo, last.commit, peopleRoot),
    readFirstParentChain(repo, source.commit),
    readPeopleChanges(repo, last.commit, source.commit, peopleRoot),
  ]);
  const baseState = new Map<Uid, PersonAccessState>();
  for (const f of baseFiles) {
    const state = 'content' in f ? personStateOfText(String(f.content)) : undefined;
    if (state) baseState.set(uidOfPath(f.path), state);
  }
  const { held, approved } = computeApprovalHolds({
    baseline: withholdFromState(baseState, last.held),
    target: accessStateOfTree(options.tree),
    chain,
    changes,
    previouslyHeld: last.held,
    facts: readApprovalFacts(options.records),
    targetCommit: source.commit,
  });
  if (options.override && held.length > 0)
    return { mode: 'checked', since: last.commit, held: [], approved, released: held, override: options.override };
  return { mode: 'checked', since: last.commit, held, approved, released: [] };
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
