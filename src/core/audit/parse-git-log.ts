/**
 * Git history of `main` as values: one `git log` (see GIT_LOG_ARGS) parsed here, so the
 * adapter only runs it and the reports and the verifier stay pure.
 */

/** `%G?` as git reports it: G good and trusted, U good but key of unknown validity, B bad, X/Y expired, R revoked, E cannot check (no key), N none. */
export type SignatureStatus = 'G' | 'U' | 'B' | 'X' | 'Y' | 'R' | 'E' | 'N';

export interface Person {
  name: string;
  email: string;
  /** ISO 8601 in UTC (`2026-11-02T09:00:00Z`), converted from git's `%aI`. */
  time: string;
}

export interface FileChange {
  /** `A`dded, `M`odified, `D`eleted, `R`enamed (with similarity dropped), `C`opied, `T`ype changed. */
  status: string;
  path: string;
  /** For renames and copies: the old path. */
  from?: string;
}

export interface HistoryCommit {
  sha: string;
  parents: string[];
  author: Person;
  committer: Person;
  signature: { status: SignatureStatus; key: string; signer: string };
  subject: string;
  /** For merges, the changes against the first parent (what the merge brought to `main`). */
  files: FileChange[];
}

const FIELDS = ['%H', '%P', '%G?', '%GK', '%GS', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%s'];

/**
 * The arguments of the one `git log` that reads history: every commit reachable from the
 * revision range, with signature status and the files each changed (merges against their
 * first parent). Append the range and `--` paths.
 */
export const GIT_LOG_ARGS: readonly string[] = [
  'log',
  `--format=%x1e${FIELDS.join('%x1f')}`,
  '--name-status',
  '--diff-merges=first-parent',
  '--no-renames',
  '-z',
];

/** Parses the output of `git log` run with GIT_LOG_ARGS, newest first as git printed it. */
export function parseGitLog(output: string): HistoryCommit[] {
  const parser = createGitLogParser();
  parser.push(output);
  return parser.end();
}

/**
 * Parses `git log` output in pieces as they arrive, so parsing can overlap git writing it.
 * `push` takes text in any split (a commit may span pieces); `end` returns every commit.
 */
export function createGitLogParser(): { push(text: string): void; end(): HistoryCommit[] } {
  const commits: HistoryCommit[] = [];
  let carry = '';
  return {
    push(text) {
      // Each commit starts with RS; everything before the last RS is complete.
      const last = text.lastIndexOf('\x1e');
      if (last < 0) {
        carry += text;
        return;
      }
      parseChunks(carry + text.slice(0, last), commits);
      carry = text.slice(last);
    },
    end() {
      parseChunks(carry, commits);
      carry = '';
      return commits;
    },
  };
}

function parseChunks(text: string, commits: HistoryCommit[]): void {
  for (const chunk of text.split('\x1e')) {
    if (chunk === '') continue;
    const commit = parseCommit(chunk);
    if (commit) commits.push(commit);
  }
}

function parseCommit(chunk: string): HistoryCommit | undefined {
  const fields = chunk.split('\x1f');
  if (fields.length < FIELDS.length) return undefined;
  const [
    sha = '',
    parents = '',
    status = 'N',
    key = '',
    signer = '',
    an = '',
    ae = '',
    at = '',
    cn = '',
    ce = '',
    ct = '',
  ] = fields;
  // With -z the subject ends with NUL; then, after a newline, come the NUL-separated name-status fields.
  const rest = fields.length === FIELDS.length ? fields[11]! : fields.slice(11).join('\x1f');
  const end = rest.indexOf('\0');
  return {
    sha,
    parents: parents === '' ? [] : parents.split(' '),
    author: { name: an, email: ae, time: utc(at) },
    committer: { name: cn, email: ce, time: utc(ct) },
    signature: { status: isStatus(status) ? status : 'N', key, signer },
    subject: end < 0 ? rest : rest.slice(0, end),
    files: end < 0 ? [] : parseNameStatus(rest.slice(end + 1)),
  };
}

function parseNameStatus(text: string): FileChange[] {
  const parts = text.replace(/^\n+/, '').split('\0');
  const files: FileChange[] = [];
  for (let i = 0; i < parts.length; i++) {
    const status = (parts[i] ?? '').replace(/^\n+/, '');
    if (status === '') continue;
    const letter = status[0]!;
    if (letter === 'R' || letter === 'C') {
      files.push({ status: letter, from: parts[i + 1] ?? '', path: parts[i + 2] ?? '' });
      i += 2;
    } else {
      files.push({ status: letter, path: parts[i + 1] ?? '' });
      i += 1;
    }
  }
  return files;
}

// Git prints each commit in its author's offset; UTC ISO strings compare correctly as text, like the audit log's times.
function utc(time: string): string {
  if (time.endsWith('+00:00')) return `${time.slice(0, -6)}Z`; // the common case, without a Date
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : new Date(ms).toISOString().replace('.000Z', 'Z');
}

const STATUSES: ReadonlySet<string> = new Set(['G', 'U', 'B', 'X', 'Y', 'R', 'E', 'N']);

function isStatus(s: string): s is SignatureStatus {
  return STATUSES.has(s);
}

/**
 * The pull request a commit landed: `Merge pull request #12 from owner/branch` (merge commit)
 * or `Title (#12)` (squash merge). Undefined for a direct commit.
 */
export function pullRequestOf(subject: string): number | undefined {
  const m = /^Merge pull request #(\d+) /.exec(subject) ?? /\(#(\d+)\)\s*$/.exec(subject);
  return m ? Number(m[1]) : undefined;
}

/** The GitHub login a merge commit names as the source of the pull request (`from jsmith-ex/branch`). */
export function pullRequestSourceOf(subject: string): string | undefined {
  return /^Merge pull request #\d+ from ([^/\s]+)\//.exec(subject)?.[1];
}
