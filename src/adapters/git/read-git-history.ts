import { isAbsolute, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { GIT_LOG_ARGS, createGitLogParser } from '../../core/audit/parse-git-log.js';
import type { HistoryCommit } from '../../core/audit/parse-git-log.js';
import { isQuietMiss, runGit } from './run-git.js';
import { streamGitLarge } from './run-git-large.js';

/** Which keys git trusts when it checks signatures (`%G?`). */
export interface SignatureTrust {
  /** SSH allowed-signers file (`email namespaces="git" key` lines); default: the repository's `gpg.ssh.allowedSignersFile`. */
  allowedSignersFile?: string;
  /** GPG home holding the trusted keyring (with GitHub's web-flow key for merges made on GitHub); default: `GNUPGHOME`. */
  gnupgHome?: string;
}

export interface ReadGitHistoryOptions extends SignatureTrust {
  repoDir: string;
  /** A revision range, e.g. `main` or `v1.0..main`. */
  range: string;
  /** Only commits after / before these dates (anything `git log --since` accepts). */
  since?: string;
  until?: string;
}

/**
 * The history of `range` with signatures and changed files, read by one `git log` process
 * whatever the number of commits (git itself runs the signature checker per signed commit).
 */
export async function readGitHistory(options: ReadGitHistoryOptions): Promise<HistoryCommit[]> {
  const args = [
    ...trustArgs(options),
    ...GIT_LOG_ARGS,
    ...(options.since ? [`--since=${options.since}`] : []),
    ...(options.until ? [`--until=${options.until}`] : []),
    options.range,
    '--',
  ];
  // Parsed as git writes it: the parse overlaps git's walk instead of following it.
  const reader = createHistoryReader();
  await streamGitLarge(
    args,
    { cwd: options.repoDir, ...(options.gnupgHome ? { env: { GNUPGHOME: options.gnupgHome } } : {}) },
    (chunk) => reader.write(chunk),
  );
  return reader.end();
}

/** Parses `git log` output (GIT_LOG_ARGS) from bytes in any split, even inside a UTF-8 character. */
export function createHistoryReader(): { write(chunk: Buffer): void; end(): HistoryCommit[] } {
  const parser = createGitLogParser();
  const decoder = new StringDecoder('utf8');
  return {
    write: (chunk) => parser.push(decoder.write(chunk)),
    end: () => {
      parser.push(decoder.end());
      return parser.end();
    },
  };
}

/** `-c` options that make git judge signatures by the given trust. */
export function trustArgs(trust: SignatureTrust): string[] {
  return trust.allowedSignersFile ? ['-c', `gpg.ssh.allowedSignersFile=${trust.allowedSignersFile}`] : [];
}

/**
 * The repository's `gpg.ssh.allowedSignersFile`, or undefined when it is not set (without one,
 * git 2.39 reports SSH signatures as unsigned). `git config --get` exits 1 exactly when unset.
 */
export async function readAllowedSignersSetting(repoDir: string): Promise<string | undefined> {
  try {
    const value = (await runGit(['config', '--path', '--get', 'gpg.ssh.allowedSignersFile'], { cwd: repoDir }))
      .toString('utf8')
      .trim();
    return value === '' ? undefined : isAbsolute(value) ? value : resolve(repoDir, value);
  } catch (error) {
    // `git config --get` exits 1, silently, when the key is not set; any other failure is not "unset".
    if (isQuietMiss(error)) return undefined;
    throw error;
  }
}
