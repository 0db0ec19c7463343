import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isQuietMiss, runGit } from '../../adapters/git/run-git.js';
import type { FileEdit } from '../../core/request/compute-request-edit.js';
import { InputError } from '../../errors.js';

export interface PublishOptions {
  repoDir: string;
  /** The branch the request starts from and its pull request goes into. */
  base: string;
  /** The file to write, its path relative to the repository root. */
  edit: FileEdit;
  /** Branch name to create (a free one is picked by adding -2, -3... when it exists). */
  branch: string;
  title: string;
  body: string;
  /** How far to go: write the file only, commit it on the new branch, or also push and open the pull request. */
  until: 'write' | 'commit' | 'pull-request';
  /** The environment for `gh` (its token and host), and PATH to find it. */
  env: NodeJS.ProcessEnv;
}

export type Published =
  | { stage: 'written' }
  | { stage: 'committed'; branch: string; commit: string; next: string[] }
  | { stage: 'opened'; branch: string; commit: string; url: string };

/**
 * Makes the request real: writes the file, and (unless told to stop) creates a branch from the
 * current one, commits the file alone, pushes it and opens the pull request with `gh`. Without
 * `gh` on PATH it stops after the commit and returns the exact commands that finish the job.
 * Refuses, before writing anything, when the file has uncommitted changes (they would end up in
 * the request).
 */
export async function publishRequest(options: PublishOptions): Promise<Published> {
  const { repoDir, edit } = options;
  const status = (await runGit(['status', '--porcelain', '--', edit.path], { cwd: repoDir })).toString('utf8');
  if (status.trim() !== '')
    throw new InputError(
      `${edit.path} has uncommitted changes; commit or stash them first, so the request holds only its own`,
    );
  const branch = options.until === 'write' ? '' : await freeBranch(repoDir, options.branch);
  if (branch !== '') await runGit(['switch', '--quiet', '-c', branch], { cwd: repoDir });
  mkdirSync(dirname(join(repoDir, edit.path)), { recursive: true });
  writeFileSync(join(repoDir, edit.path), edit.text);
  if (options.until === 'write') return { stage: 'written' };

  await runGit(['add', '--', edit.path], { cwd: repoDir });
  await runGit(['commit', '--quiet', '-m', `${options.title}\n\n${options.body}`, '--', edit.path], { cwd: repoDir });
  const commit = (await runGit(['rev-parse', 'HEAD'], { cwd: repoDir })).toString('utf8').trim();
  // The body goes in a file inside .git (never committed), so that the printed command stays one short line.
  const gitDir = (await runGit(['rev-parse', '--git-dir'], { cwd: repoDir })).toString('utf8').trim();
  const bodyFile = resolve(repoDir, gitDir, 'aac-request', `${branch.replace(/[^A-Za-z0-9._-]+/g, '-')}.md`);
  mkdirSync(dirname(bodyFile), { recursive: true });
  writeFileSync(bodyFile, options.body);
  const push = ['git', 'push', '--set-upstream', 'origin', branch];
  const create = ['gh', 'pr', 'create', '--base', options.base, '--head', branch, '--title', options.title];
  create.push('--body-file', bodyFile);
  const next = [push, create].map((words) => words.map(shellQuote).join(' '));
  if (options.until === 'commit' || !(await hasGh(options.env))) return { stage: 'committed', branch, commit, next };

  await runGit(['push', '--quiet', '--set-upstream', 'origin', branch], { cwd: repoDir });
  const url = (await run('gh', create.slice(1), repoDir, options.env)).trim().split('\n').at(-1) ?? '';
  return { stage: 'opened', branch, commit, url };
}

/** `name`, or `name-2`, `name-3`... : the first that is not a branch yet. */
async function freeBranch(repoDir: string, name: string): Promise<string> {
  for (let n = 1; n < 100; n++) {
    const candidate = n === 1 ? name : `${name}-${n}`;
    try {
      await runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${candidate}`], { cwd: repoDir });
    } catch (error) {
      if (isQuietMiss(error)) return candidate;
      throw error;
    }
  }
  throw new InputError(`branches ${name} to ${name}-99 all exist; delete some or name one with --branch`);
}

async function hasGh(env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    await run('gh', ['--version'], process.cwd(), env);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Runs a program; a non-zero exit is an InputError with its standard error (gh says what went wrong). */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new InputError(`${command} ${args[0] ?? ''} failed: ${err.trim().split('\n')[0] ?? ''}`)),
    );
  });
}

/** A word for a POSIX shell: as is when safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
