/**
 * The audit branch's own history must be append-only: the hash chain shows an edited record,
 * but not that the newest records were cut off and the chain simply ends earlier. Each commit
 * on the branch may only add lines at the end of the month files; this checks that from one
 * `git log -p --unified=0` (see AUDIT_HISTORY_LOG_ARGS), parsed here so the adapter stays thin.
 */
import { AUDIT_DIR } from './audit-files.js';

export type AuditHistoryProblemKind =
  /** A commit changed or removed lines that an earlier commit wrote. */
  | 'lines-removed'
  /** A commit added lines before the end of a file (an insertion, not an append). */
  | 'lines-inserted'
  /** A commit deleted a month file. */
  | 'file-removed'
  /** A commit the writer never makes: a merge, or a binary or mode change. */
  | 'unexpected-commit';

export interface AuditHistoryProblem {
  kind: AuditHistoryProblemKind;
  /** The offending commit on the audit branch. */
  commit: string;
  /** The month file, e.g. `audit/2026-11.jsonl`; undefined for a whole-commit problem. */
  file?: string;
  /** 1-based first line of the file (before the commit) that was touched. */
  line?: number;
  message: string;
}

/** Arguments of the one `git log` that reads the audit branch's history, oldest first; append the revision. */
export const AUDIT_HISTORY_LOG_ARGS: readonly string[] = [
  'log',
  '--reverse',
  '--topo-order',
  '--format=%x1e%H %P',
  '-p',
  '--unified=0',
  '--no-renames',
  '--no-color',
  '--no-ext-diff',
  '--full-index',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
}

interface FileDiff {
  path: string;
  deleted: boolean;
  binary: boolean;
  modeChange: boolean;
  hunks: Hunk[];
}

/**
 * Problems in the audit branch's history (the output of `git log` with AUDIT_HISTORY_LOG_ARGS):
 * each names the commit. Only paths under `audit/` are judged; line counts are followed along
 * the history, so an insertion above the last line is told from an append.
 */
export function verifyAuditHistory(logOutput: string): { commits: number; problems: AuditHistoryProblem[] } {
  const problems: AuditHistoryProblem[] = [];
  const lengths = new Map<string, number>();
  const chunks = logOutput.split('\x1e').filter((c) => c.trim() !== '');
  for (const chunk of chunks) {
    const newline = chunk.indexOf('\n');
    const [commit = '', ...parents] = (newline < 0 ? chunk : chunk.slice(0, newline)).trim().split(' ');
    if (parents.length > 1)
      problems.push({
        kind: 'unexpected-commit',
        commit,
        message: `a merge commit (${parents.length} parents): the audit writer only appends single-parent commits`,
      });
    for (const diff of parseFileDiffs(newline < 0 ? '' : chunk.slice(newline + 1))) {
      if (!diff.path.startsWith(`${AUDIT_DIR}/`)) continue;
      judgeFileDiff(commit, diff, lengths, problems);
    }
  }
  return { commits: chunks.length, problems };
}

function judgeFileDiff(
  commit: string,
  diff: FileDiff,
  lengths: Map<string, number>,
  problems: AuditHistoryProblem[],
): void {
  const file = diff.path;
  if (diff.binary || diff.modeChange) {
    problems.push({
      kind: 'unexpected-commit',
      commit,
      file,
      message: diff.binary ? 'made the file binary' : 'changed the file mode',
    });
  }
  if (diff.deleted) {
    problems.push({ kind: 'file-removed', commit, file, line: 1, message: `deleted ${file}` });
    lengths.delete(file);
    return;
  }
  let length = lengths.get(file) ?? 0;
  for (const h of diff.hunks) {
    if (h.oldCount > 0) {
      problems.push({
        kind: 'lines-removed',
        commit,
        file,
        line: h.oldStart,
        message: `changed or removed ${h.oldCount === 1 ? `line ${h.oldStart}` : `lines ${h.oldStart}-${h.oldStart + h.oldCount - 1}`} of ${file}`,
      });
    } else if (h.newCount > 0 && h.oldStart !== length) {
      // `-N,0` means "after old line N": an append is after the last line.
      problems.push({
        kind: 'lines-inserted',
        commit,
        file,
        line: h.oldStart + 1,
        message: `inserted ${h.newCount} line(s) after line ${h.oldStart} of ${file}, which had ${length}`,
      });
    }
    length += h.newCount - h.oldCount;
  }
  lengths.set(file, length);
}

/** The per-file parts of one commit's patch. */
function parseFileDiffs(patch: string): FileDiff[] {
  const out: FileDiff[] = [];
  let current: FileDiff | undefined;
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) {
      const m = / b\/(.*)$/.exec(line);
      current = { path: unquote(m?.[1] ?? ''), deleted: false, binary: false, modeChange: false, hunks: [] };
      out.push(current);
      continue;
    }
    if (!current) continue;
    if (line.startsWith('deleted file mode')) current.deleted = true;
    else if (line.startsWith('old mode') || line.startsWith('new mode')) current.modeChange = true;
    else if (line.startsWith('Binary files ') || line.startsWith('GIT binary patch')) current.binary = true;
    else if (line.startsWith('@@ ')) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (m)
        current.hunks.push({
          oldStart: Number(m[1]),
          oldCount: m[2] === undefined ? 1 : Number(m[2]),
          newStart: Number(m[3]),
          newCount: m[4] === undefined ? 1 : Number(m[4]),
        });
    }
  }
  return out;
}

// git quotes unusual paths ("b/audit/x\ty"); such a path is never a month file, but keep it readable.
function unquote(path: string): string {
  return path.endsWith('"') ? path.slice(0, -1) : path;
}

/** How a second copy of the log (the remote-tracking branch) disagrees with the one read. */
export interface AuditCopyProblem {
  kind: 'copy-missing-records' | 'copy-diverged';
  /** The copy that is short or different, e.g. `origin/access-audit`. */
  copy: string;
  /** 1-based `seq` of the first record concerned. */
  seq: number;
  message: string;
}

/**
 * Compares the log that was read with another copy of it: every record the read copy has must
 * be in the other one, with the same hash. A remote-tracking branch that lacks the newest local
 * records was rewound (or those records were never pushed); one whose record differs was rewritten.
 * A copy that has more records than the one read is merely ahead, which is fine.
 */
export function compareAuditCopies(
  read: ReadonlyArray<{ seq: number; hash: string }>,
  other: ReadonlyArray<{ seq: number; hash: string }>,
  copy: string,
): AuditCopyProblem[] {
  const theirs = new Map(other.map((r) => [r.seq, r.hash]));
  for (const record of read) {
    const hash = theirs.get(record.seq);
    if (hash === undefined) {
      const last = read[read.length - 1]!.seq;
      return [
        {
          kind: 'copy-missing-records',
          copy,
          seq: record.seq,
          message: `${copy} lacks record${last > record.seq ? `s ${record.seq}-${last}` : ` ${record.seq}`} that the branch read has: it was rewound, or these records were never pushed`,
        },
      ];
    }
    if (hash !== record.hash)
      return [
        {
          kind: 'copy-diverged',
          copy,
          seq: record.seq,
          message: `${copy} has a different record ${record.seq}: one of the two copies was rewritten from there on`,
        },
      ];
  }
  return [];
}
