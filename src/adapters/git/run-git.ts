import { spawn } from 'node:child_process';
import { gitProcessEnv } from '../../config.js';
import { GitError } from '../../errors.js';
import type { GitErrorCode } from '../../errors.js';

export interface GitOptions {
  cwd: string;
  /** Written to git's standard input, then closed. */
  input?: string;
  /** Added to the minimal environment, e.g. `GNUPGHOME` for the keyring that signatures are judged by. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs git with a fixed, minimal environment (no pager, no prompts, no user config surprises
 * beyond identity and signing) and returns stdout as a Buffer. Throws GitError on failure.
 */
export function runGit(args: readonly string[], options: GitOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: { ...gitProcessEnv(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(cannotRunGit(error)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(gitFailure(args, code, Buffer.concat(err).toString('utf8')));
    });
    child.stdin.on('error', () => undefined); // git may exit before reading all input; its exit code tells
    child.stdin.end(options.input ?? '');
  });
}

/** The error for a git that exited with `exitCode`, classified from its standard error (git runs with LC_ALL=C). */
export function gitFailure(args: readonly string[], exitCode: number | null, stderr: string): GitError {
  const firstLine = stderr.trim().split('\n')[0] ?? '';
  const message = `git ${args[0] ?? ''} failed: ${firstLine}`;
  return new GitError(message, { code: classifyGitFailure(stderr), exitCode: exitCode ?? undefined, stderr });
}

/** The error for a git that could not be started (not installed, or the working folder is missing). */
export function cannotRunGit(error: Error): GitError {
  return new GitError(`cannot run git: ${error.message}`, { code: 'cannot-run' }, { cause: error });
}

// The two failures callers expect, as git 2.x words them; anything else is `failed`.
const NOT_A_REPOSITORY = /^fatal: not a git repository\b/m;
const NO_COMMITS = /^fatal: your current branch '[^']*' does not have any commits yet$/m;
const UNKNOWN_REVISION = /^fatal: (Not a valid object name |ambiguous argument '[^']*': unknown revision or path)/m;

function classifyGitFailure(stderr: string): Exclude<GitErrorCode, 'cannot-run'> {
  if (NOT_A_REPOSITORY.test(stderr)) return 'not-a-repository';
  if (NO_COMMITS.test(stderr)) return 'no-commits';
  if (UNKNOWN_REVISION.test(stderr)) return 'unknown-revision';
  return 'failed';
}

/**
 * Whether `error` is git saying "nothing found" the quiet way: exit 1 with nothing on standard
 * error, as `git config --get` does for an unset key and `git rev-parse --verify -q` for a missing
 * revision. Any other failure is a real one.
 */
export function isQuietMiss(error: unknown): boolean {
  return error instanceof GitError && error.exitCode === 1 && error.stderr.trim() === '';
}

/**
 * The top of the work tree containing `dir`, or undefined when `dir` is not in a git repository.
 * Any other git failure (a broken repository, an unsafe owner, git missing) is thrown: the caller
 * must not mistake it for "no repository, so no history".
 */
export async function findRepositoryRoot(dir: string): Promise<string | undefined> {
  try {
    return (await runGit(['rev-parse', '--show-toplevel'], { cwd: dir })).toString('utf8').trim();
  } catch (error) {
    if (error instanceof GitError && error.code === 'not-a-repository') return undefined;
    throw error;
  }
}

/**
 * The commit `rev` names, or undefined when no such commit exists (an unborn branch, a branch not
 * created yet). `git rev-parse --verify -q` says "missing" by exiting 1 with nothing on standard
 * error; every other failure is thrown.
 */
export async function resolveCommit(repo: string, rev: string): Promise<string | undefined> {
  try {
    return (await runGit(['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`], { cwd: repo }))
      .toString('utf8')
      .trim();
  } catch (error) {
    if (isQuietMiss(error)) return undefined;
    throw error;
  }
}

/**
 * Reads many blobs with one `git cat-file --batch` process. `specs` are `<rev>:<path>`;
 * a missing object gives undefined. `large`: megabytes expected, so git writes to a file
 * (see runGitLarge) and never stalls while Node is busy elsewhere.
 */
export async function readBlobs(
  repo: string,
  specs: readonly string[],
  options: { large?: boolean } = {},
): Promise<Array<string | undefined>> {
  return (await readBlobBytes(repo, specs, options)).map((bytes) =>
    bytes === undefined ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
  );
}

/**
 * The same as `readBlobs`, as the bytes git stores: for files that are parsed, so that a file
 * that is not UTF-8 is reported as such instead of being decoded with replacement characters.
 */
export async function readBlobBytes(
  repo: string,
  specs: readonly string[],
  options: { large?: boolean } = {},
): Promise<Array<Uint8Array | undefined>> {
  if (specs.length === 0) return [];
  const args = ['cat-file', '--batch'];
  const input = specs.map((s) => `${s}\n`).join('');
  const output = options.large
    ? await (await import('./run-git-large.js')).runGitLarge(args, { cwd: repo, input })
    : await runGit(args, { cwd: repo, input });
  const result: Array<Uint8Array | undefined> = [];
  let pos = 0;
  for (let i = 0; i < specs.length; i++) {
    const eol = output.indexOf(0x0a, pos);
    const header = output.subarray(pos, eol).toString('utf8');
    pos = eol + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      result.push(undefined);
      continue;
    }
    const size = Number(header.split(' ')[2]);
    result.push(output.subarray(pos, pos + size));
    pos += size + 1;
  }
  return result;
}
