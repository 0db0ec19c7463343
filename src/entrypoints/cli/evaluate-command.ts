import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSchemas } from '../../adapters/fs/load-schemas.js';
import { readPullRequestSides } from '../../adapters/git/read-pull-request-sides.js';
import { parseSidesInParallel } from '../../adapters/parse/parse-sides-in-parallel.js';
import { findRepositoryRoot } from '../../adapters/git/run-git.js';
import { renderTemplate } from '../../adapters/render/render-template.js';
import type { Review } from '../../core/policy/compute-approvals.js';
import { evaluatePullRequest } from '../../core/policy/evaluate-pull-request.js';
import { computeCommentView } from '../../core/policy/compute-comment-view.js';
import { formatEvaluationText } from '../../core/policy/format-evaluation.js';
import { toEvaluationJson } from '../../core/policy/to-evaluation-json.js';
import { parseTeamMembers } from '../../core/policy/team-members.js';
import type { TeamMembers } from '../../core/policy/team-members.js';
import { createSchemaChecker } from '../../core/validate/schema-diagnostics.js';
import { InputError, UsageError } from '../../errors.js';
import { resolveAccessDir } from '../../adapters/fs/find-access-dir.js';
import { EXIT } from './cli-io.js';
import type { CliIO } from './cli-io.js';
import { readNow } from './read-now.js';
import { createProgress } from './progress.js';
import { parseFormat } from './parse-format.js';

export const EVALUATE_HELP = `Usage: aac evaluate --base REF --head REF [--author LOGIN] [--reviews FILE] [--teams FILE]
                    [--format text|json|markdown] [--dir DIR] [--now TIME]

Judges a pull request from BASE to HEAD in this git checkout, exactly as the approval app
does: the access changes, each change's tier and levels (from BASE's policy, systems and
CODEOWNERS), and which levels the reviews satisfy.

  --base REF        the branch or commit the pull request merges into
  --head REF        the pull request's commit
  --author LOGIN    the pull request's author (never counts as an approver)
  --reviews FILE    JSON from GitHub's "list reviews for a pull request" (default: none)
  --teams FILE      JSON {"org/team": ["login", ...]} (default: no team members)
  --format FORMAT   text (default), json, or markdown (the pull-request comment)
  --dir DIR         the access folder (default: access)
  --now TIME        judge emergency limits at TIME (ISO 8601) instead of now

Exit status: 0 approved, 1 approvals missing or a change blocked, 2 usage or I/O error.
`;

export async function runEvaluate(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: false,
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      author: { type: 'string' },
      reviews: { type: 'string' },
      teams: { type: 'string' },
      format: { type: 'string', default: 'text' },
      dir: { type: 'string' },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(EVALUATE_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError('evaluate takes no positional arguments');
  if (!values.base || !values.head) throw new UsageError('--base and --head are required');
  const format = parseFormat(values.format, ['text', 'json', 'markdown'] as const);
  const now = readNow(values.now, io.env);
  const reviews = values.reviews === undefined ? [] : readReviews(resolve(io.cwd, values.reviews));
  const teams = values.teams === undefined ? {} : readTeams(resolve(io.cwd, values.teams));

  const dir = resolveAccessDir(values.dir, io.cwd);
  const repo = await findRepositoryRoot(io.cwd);
  if (repo === undefined) throw new InputError('aac evaluate runs in a git checkout; this folder is not in one');
  const accessDir = relative(repo, dir).split(sep).join('/');
  const sides = await readPullRequestSides({ repo, base: values.base, head: values.head, accessDir });
  const progress = createProgress(io, 'evaluating');
  // Parsing is most of the work on a large tree: on two threads, as `aac validate` does.
  const parsed = await parseSidesInParallel(sides.base, sides.head, { onProgress: progress.update });
  const evaluation = evaluatePullRequest({
    root: accessDir,
    base: sides.base,
    head: sides.head,
    headSha: sides.headSha,
    ...(values.author ? { author: values.author } : {}),
    reviews,
    teams,
    checkSchema: createSchemaChecker(loadSchemas()),
    now,
    parsed,
  });
  progress.done();
  if (format === 'json') io.stdout(`${JSON.stringify(toEvaluationJson(evaluation), null, 2)}\n`);
  else if (format === 'markdown') io.stdout(renderTemplate('pull-request-comment.md', computeCommentView(evaluation)));
  else io.stdout(formatEvaluationText(evaluation));
  return evaluation.approved ? EXIT.ok : EXIT.failed;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${what} file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what} file ${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

function readReviews(path: string): Review[] {
  const value = readJson(path, '--reviews');
  const ok =
    Array.isArray(value) &&
    value.every((r) => typeof r === 'object' && r !== null && typeof (r as Review).state === 'string');
  if (!ok)
    throw new InputError(`--reviews file ${path} must be the JSON array GitHub's "list reviews" endpoint returns`);
  return value as Review[];
}

function readTeams(path: string): TeamMembers {
  const value = readJson(path, '--teams');
  const teams = parseTeamMembers(value);
  if (!teams) throw new InputError(`--teams file ${path} must be {"org/team": ["login", ...]}`);
  return teams;
}
