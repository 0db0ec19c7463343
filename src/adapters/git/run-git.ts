import { spawn } from 'node:child_process';
import { InputError } from '../../errors.js';

export interface GitOptions {
  cwd: string;
  /** Written to git's standard input, then closed. */
  input?: string;
  /** Added to the minimal environment, e.g. `GNUPGHOME` for the keyring that signatures are judged by. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs git with a fixed, minimal environment (no pager, no prompts, no user config surprises
 * beyond identity and signing) and returns stdout as a Buffer. Throws InputError on failure.
 */
export function runGit(args: readonly string[], options: GitOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: { ...gitEnv(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new InputError(`cannot run git: ${error.message}`, { cause: error })));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else
        reject(
          new InputError(`git ${args[0]} failed: ${Buffer.concat(err).toString('utf8').trim().split('\n')[0] ?? ''}`),
        );
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** The top of the work tree containing `dir`, or undefined when `dir` is not in a git repository. */
export async function findRepositoryRoot(dir: string): Promise<string | undefined> {
  try {
    return (await runGit(['rev-parse', '--show-toplevel'], { cwd: dir })).toString('utf8').trim();
  } catch {
    return undefined;
  }
}

export function gitEnv(): NodeJS.ProcessEnv {
  const keep = [
    'PATH',
    'HOME',
    'USER',
    'LANG',
    'TMPDIR',
    'GNUPGHOME',
    'SSH_AUTH_SOCK',
    'GIT_AUTHOR_NAME',
    'GIT_AUTHOR_EMAIL',
    'GIT_COMMITTER_NAME',
    'GIT_COMMITTER_EMAIL',
    'GIT_AUTHOR_DATE',
    'GIT_COMMITTER_DATE',
  ];
  const env: NodeJS.ProcessEnv = { GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' };
  for (const key of keep) if (process.env[key] !== undefined) env[key] = process.env[key];
  return env;
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
