import { hasErrors } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import type { AccessTree } from '../model/access-tree.js';
import { TIER_RANK } from '../model/risk.js';
import type { Person } from '../model/types.js';
import { buildAccessTree } from '../model/access-tree.js';
import { parseSource } from '../source.js';
import type { ParseResult } from '../source.js';
import type { SchemaChecker } from '../validate/schema-diagnostics.js';
import { validateAccessTree } from '../validate/validate-access-tree.js';
import type { InputFile } from '../validate/validate-access-tree.js';
import { buildBaseTree } from './build-base-tree.js';
import { basePersonOf } from './change.js';
import type { Change } from './change.js';
import type { RepositoryBlobs } from './compute-file-changes.js';
import { computeApprovals } from './compute-approvals.js';
import type { Approval, Review } from './compute-approvals.js';
import { computeChangeSet } from './compute-change-set.js';
import { computeRequirement } from './compute-requirement.js';
import type { BlockReason, ChangeTier } from './compute-requirement.js';
import { matchLevels } from './match-levels.js';
import { parseCodeowners } from './parse-codeowners.js';
import { computeApproverLogins } from './compute-approver-logins.js';
import { resolveCandidates } from './resolve-candidates.js';
import type { Candidates, ResolveContext, Subject } from './resolve-candidates.js';
import { referencedTeams } from './team-members.js';
import type { TeamMembers } from './team-members.js';

/** The files of one side of a pull request, as read from git or the GitHub API. */
export interface PullRequestSide {
  /** Files under the access folder, with their contents. */
  files: readonly InputFile[];
  /** Every file of the commit, path -> blob id: the governed files outside the access folder are judged by these. */
  blobs: RepositoryBlobs;
  /** CODEOWNERS as GitHub reads it at this commit: the first of `.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS`. */
  codeowners?: { path: string; text: string };
}

export interface EvaluateOptions {
  /** The access folder as shown in paths, e.g. `access`. */
  root: string;
  base: PullRequestSide;
  head: PullRequestSide;
  /** The commit approvals must be of. */
  headSha: string;
  /** Login of the pull request's author; never counts as an approver. */
  author?: string;
  reviews: readonly Review[];
  teams: TeamMembers;
  checkSchema: SchemaChecker;
  /** Time of the evaluation in ms since the epoch (emergency limits, expiry). */
  now: number;
  /** Called while head's files are parsed, for a progress line on large trees. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Files already parsed with `parseSource` (on several threads, or from a cache): `head[i]` is
   * `head.files[i]`, `base[i]` is `base.files[i]`; a missing entry is parsed here. A base file
   * whose text equals head's is never parsed again, so `base` needs only the files that differ.
   */
  parsed?: { head?: ReadonlyArray<ParseResult | undefined>; base?: ReadonlyArray<ParseResult | undefined> };
}

export interface LevelStatus {
  level: string;
  description?: string;
  /** The approver assigned to this level, or null. */
  satisfiedBy: string | null;
  /** Everyone who may approve this level (author and subject excluded), lower-case, sorted. */
  candidates: string[];
  /** Teams among the sources, for review requests. */
  teams: string[];
  /** Candidates not from a team, for review requests. */
  people: string[];
  /** Time of the assigned approval (ISO 8601), when satisfied. */
  approvedAt?: string;
}

/** A change with its verdict: still a union keyed by `kind`. */
export type EvaluatedChange = Change & {
  tier: ChangeTier;
  blocked: BlockReason[];
  levels: LevelStatus[];
};

/** `approved`: every level of every change is satisfied; `missing`: approvals lacking; `blocked`: a change is blocked or head is invalid. */
export type EvaluationStatus = 'approved' | 'missing' | 'blocked';

export interface Evaluation {
  approved: boolean;
  status: EvaluationStatus;
  /** The highest tier among the changes (`standard` when there are none). */
  tier: ChangeTier;
  changes: EvaluatedChange[];
  /** Validation diagnostics of head. */
  diagnostics: Diagnostic[];
  headSha: string;
  /** The two access trees, for whatever else the caller shows (the directory plan: `computeDesiredState(trees.head, now)`). */
  trees: { base: AccessTree; head: AccessTree };
}

const TIER_ORDER: Record<ChangeTier, number> = { revocation: -2, emergency: -1, ...TIER_RANK };

/**
 * Evaluates a pull request: validates head, computes the change set against base, works out
 * each change's tier and levels from the BASE policy, systems and CODEOWNERS, and matches the
 * approvals that count to the levels. Pure: the caller reads files, reviews and teams.
 * The CLI (`aac evaluate`) and the app both call this one function.
 * @example evaluatePullRequest({ root: 'access', base, head, headSha, author: 'jsmith-ex', reviews, teams: {}, checkSchema, now }).approved
 */
export function evaluatePullRequest(options: EvaluateOptions): Evaluation {
  const headResult = validateAccessTree({
    root: options.root,
    files: options.head.files,
    checkSchema: options.checkSchema,
    now: options.now,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.parsed?.head ? { parsed: options.parsed.head } : {}),
  });
  const baseTree = buildBaseTree(
    options.root,
    options.base.files,
    headResult,
    options.checkSchema,
    options.parsed?.base,
  );
  const changes = computeChangeSet(
    { tree: baseTree, blobs: options.base.blobs, codeowners: options.base.codeowners },
    { tree: headResult.tree, blobs: options.head.blobs, codeowners: options.head.codeowners },
    { accessDir: options.root },
  );
  const context: ResolveContext = {
    base: baseTree,
    codeowners: options.base.codeowners ? parseCodeowners(options.base.codeowners.text).rules : [],
    teams: options.teams,
    approvers: computeApproverLogins(baseTree),
  };
  const approvals = computeApprovals(options.reviews, options.headSha);
  const author = options.author?.toLowerCase();
  const authorPerson = author === undefined ? undefined : findByLogin(baseTree, author);

  const evaluated = changes.map((change) => {
    const requirement = computeRequirement(change, baseTree, headResult.tree, options.now);
    const subject = subjectOf(change, baseTree, headResult.tree, authorPerson);
    const excluded = new Set<string>([
      ...(author ? [author] : []),
      ...subjectLogins(change, baseTree, headResult.tree),
    ]);
    const resolved = requirement.levels.map((level) => ({
      level,
      candidates: resolveCandidates(level.approvers, context, subject, change.previousPath ?? change.file, excluded),
    }));
    const assigned = matchLevels(resolved.map((r) => r.candidates.logins.filter((l) => approvals.has(l))));
    const levels: LevelStatus[] = resolved.map(({ level, candidates }, i) =>
      levelStatus(level.level, level.description, assigned[i], candidates, approvals),
    );
    return { ...change, tier: requirement.tier, blocked: requirement.blocked, levels };
  });

  const blocked = hasErrors(headResult.diagnostics) || evaluated.some((c) => c.blocked.length > 0);
  const missing = evaluated.some((c) => c.levels.some((l) => l.satisfiedBy === null));
  const status: EvaluationStatus = blocked ? 'blocked' : missing ? 'missing' : 'approved';
  const tier = evaluated.reduce<ChangeTier>(
    (max, c) => (TIER_ORDER[c.tier] > TIER_ORDER[max] ? c.tier : max),
    'standard',
  );
  return {
    approved: status === 'approved',
    status,
    tier,
    changes: evaluated,
    diagnostics: headResult.diagnostics,
    headSha: options.headSha,
    trees: { base: baseTree, head: headResult.tree },
  };
}

function levelStatus(
  level: string,
  description: string | undefined,
  login: string | undefined,
  candidates: Candidates,
  approvals: Map<string, Approval>,
): LevelStatus {
  return {
    level,
    ...(description ? { description } : {}),
    satisfiedBy: login ?? null,
    candidates: candidates.logins,
    teams: candidates.teams,
    people: candidates.people,
    ...(login ? { approvedAt: approvals.get(login)?.at ?? '' } : {}),
  };
}

/** Person changes are relative to that person; other changes to the author (their manager, their department head). */
function subjectOf(
  change: Change,
  base: AccessTree,
  head: AccessTree,
  author: Person | undefined,
): Subject | undefined {
  if (change.person === undefined) return author ? { base: author } : undefined;
  const b = basePersonOf(change, base);
  const h = head.people.get(change.person)?.value;
  return { ...(b ? { base: b } : {}), ...(h ? { head: h } : {}) };
}

/** The subject's logins before and after: changing `github:` in the same pull request must not let them approve. */
function subjectLogins(change: Change, base: AccessTree, head: AccessTree): string[] {
  if (change.person === undefined) return [];
  return [basePersonOf(change, base)?.github, head.people.get(change.person)?.value.github]
    .filter((l): l is string => l !== undefined)
    .map((l) => l.toLowerCase());
}

function findByLogin(tree: AccessTree, login: string): Person | undefined {
  for (const { value } of tree.people.values()) if (value.github?.toLowerCase() === login) return value;
  return undefined;
}

/**
 * The `org/team` slugs a side's policy levels and CODEOWNERS name: the teams whose members the
 * app must look up before evaluating. Reads only the policy file, without validating it.
 */
export function referencedTeamsOf(side: PullRequestSide, root: string): string[] {
  const prefix = root === '' || root === '.' ? '' : `${root.replace(/\/+$/, '')}/`;
  const file = side.files.find((f) => f.path === `${prefix}policy.yaml` || f.path === `${prefix}policy.yml`);
  const source = file && 'content' in file ? parseSource(file.path, file.content).source : undefined;
  const tree = buildAccessTree(root, source && isPolicyLike(source.value) ? [source] : []).tree;
  return referencedTeams(tree, side.codeowners ? parseCodeowners(side.codeowners.text).rules : []);
}

// Only the shape referencedTeams reads: levels whose approvers are a list.
function isPolicyLike(value: Record<string, unknown>): boolean {
  const levels = value['levels'];
  const directory = value['directory'];
  if (typeof levels !== 'object' || levels === null || typeof directory !== 'object' || directory === null)
    return false;
  return Object.values(levels).every(
    (l) => typeof l === 'object' && l !== null && Array.isArray((l as { approvers?: unknown }).approvers),
  );
}
