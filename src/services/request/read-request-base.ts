import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { findRepositoryRoot, isQuietMiss, runGit } from '../../adapters/git/run-git.js';
import { readAccessFilesAt } from '../../adapters/git/read-access-files-at.js';
import { CODEOWNERS_PATHS } from '../../core/policy/governed-paths.js';
import { parseTeamMembers } from '../../core/policy/team-members.js';
import type { TeamMembers } from '../../core/policy/team-members.js';
import type { InputFile } from '../../core/validate/validate-access-tree.js';
import { InputError } from '../../errors.js';

/** What a request is made against: the committed files of the branch it starts from. */
export interface RequestBase {
  repoDir: string;
  /** The access folder relative to the repository root, e.g. `access`. */
  root: string;
  /** The branch checked out now: the pull request's base. */
  branch: string;
  /** The access files as committed on it (uncommitted edits are not part of a request). */
  files: InputFile[];
  codeowners?: { path: string; text: string };
}

/**
 * Reads the base of a request in the repository containing `accessDir`: the current branch and
 * its committed access files and CODEOWNERS. Not in a repository, or on a detached HEAD or an
 * unborn branch, is an InputError: a request is a branch and a commit.
 */
export async function readRequestBase(accessDir: string): Promise<RequestBase> {
  const repoDir = await findRepositoryRoot(accessDir);
  if (repoDir === undefined)
    throw new InputError(`${accessDir} is not in a git repository; a request is a commit on a branch`);
  let branch: string;
  try {
    branch = (await runGit(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: repoDir })).toString('utf8').trim();
  } catch (error) {
    if (isQuietMiss(error)) throw new InputError('HEAD is detached; check out the branch the request is for');
    throw error;
  }
  try {
    await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: repoDir });
  } catch (error) {
    if (isQuietMiss(error)) throw new InputError(`${branch} has no commit yet; commit the access files first`);
    throw error;
  }
  const root = relative(repoDir, accessDir).split(sep).join('/') || '.';
  const files = await readAccessFilesAt(repoDir, 'HEAD', root);
  return { repoDir, root, branch, files, ...(await readCodeowners(repoDir)) };
}

/** CODEOWNERS as GitHub reads it at HEAD: the first of its three places that exists. */
async function readCodeowners(repoDir: string): Promise<{ codeowners?: { path: string; text: string } }> {
  const listed = (
    await runGit(['ls-tree', '-z', '--name-only', '--full-tree', 'HEAD', '--', ...CODEOWNERS_PATHS], { cwd: repoDir })
  )
    .toString('utf8')
    .split('\0');
  const path = CODEOWNERS_PATHS.find((p) => listed.includes(p));
  if (path === undefined) return {};
  return { codeowners: { path, text: (await runGit(['show', `HEAD:${path}`], { cwd: repoDir })).toString('utf8') } };
}

/** `--teams FILE`: `{"org/team": ["login", ...]}`, for the approvers of team levels (git cannot tell). */
export function readTeamsFile(path: string): TeamMembers {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`--teams ${path} is not readable JSON: ${(error as Error).message}`, { cause: error });
  }
  const teams = parseTeamMembers(value);
  if (!teams) throw new InputError(`--teams ${path} must be {"org/team": ["login", ...]}`);
  return teams;
}
