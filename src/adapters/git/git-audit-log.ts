import type { AuditEvent, AuditLog, AuditRecord } from '../../core/audit/audit-event.js';
import { AUDIT_DIR, parseAuditFiles, sortAuditFiles } from '../../core/audit/audit-files.js';
import type { AuditFile } from '../../core/audit/audit-files.js';
import type { AuditAppend } from '../../core/audit/compute-audit-append.js';
import { computeAppendFor, refuseSecrets } from '../audit/append-audit-events.js';
import { AuditLogError, GitError } from '../../errors.js';
import { isQuietMiss, readBlobs, resolveCommit, runGit } from './run-git.js';

export interface GitAuditLogOptions {
  /** Any folder inside the repository (a work tree or a bare repository). */
  repoDir: string;
  /** The branch holding the log; default `access-audit`. It is never checked out. */
  branch?: string;
  /** After each append, push the branch to this remote (e.g. `origin`), retrying when the remote moved. */
  push?: { remote: string };
  /** Committer of the audit commits when git has no identity configured; default `aac <aac@localhost>`. */
  identity?: { name: string; email: string };
  /**
   * Sign the audit commits (`commit-tree -S`, with the repository's signing key). Default: as the
   * repository's `commit.gpgSign` says, which `commit-tree` itself ignores. `aac audit verify`
   * checks the audit branch's signatures with the same trust roots as `main`.
   */
  sign?: boolean;
  /** Attempts before giving up when other writers keep moving the branch; default 20. */
  maxAttempts?: number;
}

interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  name: string;
}

const ZERO = '0'.repeat(40);

/**
 * The audit log as JSON lines on a branch of a local repository, one file per month
 * (`audit/2026-11.jsonl`). Appends never touch the work tree or the index: blobs and trees are
 * written with `hash-object`/`mktree`, the commit with `commit-tree`, and the branch moved with
 * `update-ref <branch> <new> <old>`, a compare-and-swap: when another writer got there first,
 * the append is rebuilt on top of theirs. With `push`, the remote branch is the log of record.
 *
 * @example
 * const log = createGitAuditLog({ repoDir: '/srv/access', push: { remote: 'origin' } });
 * await log.append([{ time, type: 'apply.completed', actor: 'aac-reconciler', details }]);
 */
export function createGitAuditLog(options: GitAuditLogOptions): AuditLog {
  const { repoDir } = options;
  const branch = options.branch ?? 'access-audit';
  const ref = `refs/heads/${branch}`;
  const maxAttempts = options.maxAttempts ?? 20;
  const git = (args: string[], input?: string): Promise<string> =>
    runGit(args, { cwd: repoDir, ...(input !== undefined ? { input } : {}) }).then((b) => b.toString('utf8'));
  let identityArgs: Promise<string[]> | undefined;
  let signing: Promise<boolean> | undefined;
  // `git config --bool --get` exits 1 exactly when the key is unset.
  const shouldSign = (): Promise<boolean> =>
    (signing ??=
      options.sign !== undefined
        ? Promise.resolve(options.sign)
        : git(['config', '--bool', '--get', 'commit.gpgsign']).then(
            (v) => v.trim() === 'true',
            (error: unknown) => {
              if (isQuietMiss(error)) return false;
              throw error;
            },
          ));

  // git's own identity (config or GIT_COMMITTER_*) wins; the fallback keeps CI machines without one working.
  const identity = (): Promise<string[]> =>
    (identityArgs ??= git(['var', 'GIT_COMMITTER_IDENT']).then(
      () => [],
      () => [
        '-c',
        `user.name=${options.identity?.name ?? 'aac'}`,
        '-c',
        `user.email=${options.identity?.email ?? 'aac@localhost'}`,
      ],
    ));

  /** Writes the appended month files as a commit on top of `parent` (undefined: the first commit); returns its SHA. */
  async function writeCommit(parent: string | undefined, append: AuditAppend): Promise<string> {
    const records = append.records;
    const rootEntries = parent ? await lsTree(parent) : [];
    const auditEntry = rootEntries.find((e) => e.name === AUDIT_DIR && e.type === 'tree');
    const auditEntries = auditEntry ? await lsTree(auditEntry.sha) : [];
    for (const file of append.files) {
      const sha = (await git(['hash-object', '-w', '--stdin'], file.text)).trim();
      const name = file.path.slice(AUDIT_DIR.length + 1);
      const kept = auditEntries.filter((e) => e.name !== name);
      auditEntries.splice(0, auditEntries.length, ...kept, { mode: '100644', type: 'blob', sha, name });
    }
    const auditTree = await mktree(auditEntries);
    const rootTree = await mktree([
      ...rootEntries.filter((e) => e.name !== AUDIT_DIR),
      { mode: '040000', type: 'tree', sha: auditTree, name: AUDIT_DIR },
    ]);
    const first = records[0]!;
    const last = records[records.length - 1]!;
    const message = `audit: ${records.length === 1 ? `record ${first.seq}` : `records ${first.seq}-${last.seq}`} (${[...new Set(records.map((r) => r.type))].join(', ')})\n`;
    const args = [
      ...(await identity()),
      'commit-tree',
      rootTree,
      ...(parent ? ['-p', parent] : []),
      ...((await shouldSign()) ? ['-S'] : []),
    ];
    return (await git(args, message)).trim();
  }

  async function lsTree(treeish: string): Promise<TreeEntry[]> {
    const out = await git(['ls-tree', '-z', treeish]);
    return out
      .split('\0')
      .filter((l) => l !== '')
      .map((line) => {
        const tab = line.indexOf('\t');
        const [mode = '', type = '', sha = ''] = line.slice(0, tab).split(' ');
        return { mode, type, sha, name: line.slice(tab + 1) };
      });
  }

  async function mktree(entries: TreeEntry[]): Promise<string> {
    return (
      await git(['mktree', '-z'], entries.map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.name}\0`).join(''))
    ).trim();
  }

  /** The commit a ref points at; undefined when the branch does not exist yet. */
  function resolve(refName: string): Promise<string | undefined> {
    return resolveCommit(repoDir, refName);
  }

  async function recordsAt(
    commit: string | undefined,
    which: 'all' | 'newest' = 'all',
  ): Promise<{ files: AuditFile[]; records: AuditRecord[] }> {
    const files = commit ? await readGitAuditFiles(repoDir, commit, { newestOnly: which === 'newest' }) : [];
    const { records, unreadable } = parseAuditFiles(files);
    if (unreadable.length > 0) {
      const u = unreadable[0]!;
      throw new AuditLogError(
        `the audit log on ${branch} is damaged (${u.file}:${u.line}: ${u.message}); run \`aac audit verify\``,
      );
    }
    return { files, records };
  }

  /** Moves `refName` from `old` to `next` only if it still points at `old`. */
  async function compareAndSwap(refName: string, next: string, old: string | undefined): Promise<boolean> {
    try {
      await git(['update-ref', refName, next, old ?? ZERO]);
      return true;
    } catch (error) {
      // Lost the race (the ref moved, or another writer holds its lock): the caller rebuilds. Anything else stops.
      if (error instanceof GitError && /^fatal: .*cannot lock ref/m.test(error.stderr)) return false;
      throw error;
    }
  }

  async function appendLocal(events: readonly AuditEvent[]): Promise<AuditRecord[]> {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const old = await resolve(ref);
      // The newest month is all an append needs: it holds the last record and takes the new ones.
      const { files } = await recordsAt(old, 'newest');
      const append = computeAppendFor(branch, sortAuditFiles(files).at(-1), events);
      const added = append.records;
      const commit = await writeCommit(old, append);
      if (await compareAndSwap(ref, commit, old)) return added;
      await backoff(attempt);
    }
    throw new AuditLogError(`could not append to ${branch}: it kept moving (${maxAttempts} attempts)`);
  }

  // The remote branch is the log of record. Records written locally but never pushed (an earlier
  // push failed) are replayed on top of the remote's, so nothing is lost and the chain stays one line.
  async function appendPushed(remote: string, events: readonly AuditEvent[]): Promise<AuditRecord[]> {
    const tracking = `refs/remotes/${remote}/${branch}`;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        await git(['fetch', '-q', remote, `+${ref}:${tracking}`]);
      } catch {
        const state = await remoteState(remote);
        if (state === 'unreachable') return keepLocally(remote, events, 'cannot be reached');
        if (state === 'present') {
          await backoff(attempt); // another fetch in this repository holds the tracking ref's lock
          continue;
        }
      }
      const base = await resolve(tracking);
      const local = await resolve(ref);
      const [{ files, records }, mine] = await Promise.all([recordsAt(base), recordsAt(local)]);
      const known = new Set(records.map((r) => r.hash));
      const unpushed = mine.records.filter((r) => !known.has(r.hash)).map(toEvent);
      const append = computeAppendFor(branch, sortAuditFiles(files).at(-1), [...unpushed, ...events]);
      const added = append.records;
      const commit = await writeCommit(base, append);
      try {
        await git(['push', '-q', remote, `${commit}:${ref}`]);
      } catch {
        await backoff(attempt); // rejected (someone pushed first) or unreachable: fetch and try again
        continue;
      }
      await git(['update-ref', tracking, commit]);
      // Keep the local branch in step; if a local writer moved it meanwhile, the next append replays its records.
      await compareAndSwap(ref, commit, local);
      return added.slice(unpushed.length);
    }
    return keepLocally(remote, events, `kept rejecting the push (${maxAttempts} attempts)`);
  }

  // Nothing is lost when the remote is out of reach: the records go to the local branch, and the
  // next pushed append replays them on top of the remote's log.
  async function keepLocally(remote: string, events: readonly AuditEvent[], why: string): Promise<never> {
    await appendLocal(events);
    throw new AuditLogError(
      `appended to the local ${branch} branch, but ${remote} ${why}; the next pushed append carries these records`,
    );
  }

  async function remoteState(remote: string): Promise<'missing' | 'present' | 'unreachable'> {
    try {
      return (await git(['ls-remote', '--heads', remote, ref])).trim() === '' ? 'missing' : 'present';
    } catch {
      return 'unreachable';
    }
  }

  return {
    async append(events) {
      if (events.length === 0) return [];
      refuseSecrets(events); // before any git process, so nothing of a refused batch is written anywhere
      return options.push ? appendPushed(options.push.remote, events) : appendLocal(events);
    },
    // The freshest copy there is: with `push`, the remote's (fetched first; when it cannot be
    // reached, the local branch, which holds at least what this writer appended). Without, the
    // local branch, else `origin/<branch>` (a fresh clone, or a checkout in CI, has only that).
    async read() {
      const remote = options.push?.remote ?? 'origin';
      const tracking = `refs/remotes/${remote}/${branch}`;
      if (options.push) {
        try {
          await git(['fetch', '-q', remote, `+${ref}:${tracking}`]);
        } catch (error) {
          if ((await remoteState(remote)) === 'present') throw error;
        }
      }
      const [local, remoteTip] = await Promise.all([resolve(ref), resolve(tracking)]);
      const tip = options.push ? (remoteTip ?? local) : (local ?? remoteTip);
      return (await recordsAt(tip)).records;
    },
  };
}

/**
 * The month files of the audit log at `rev` (a branch name or commit), sorted (with
 * `newestOnly`, just the last); [] when the revision does not exist. Two git processes
 * whatever the number of months.
 */
export async function readGitAuditFiles(
  repoDir: string,
  rev: string,
  options: { newestOnly?: boolean } = {},
): Promise<AuditFile[]> {
  let listing: string;
  try {
    listing = (await runGit(['ls-tree', '-z', '--name-only', rev, '--', `${AUDIT_DIR}/`], { cwd: repoDir })).toString(
      'utf8',
    );
  } catch (error) {
    if (error instanceof GitError && error.code === 'unknown-revision') return []; // no audit log yet
    throw error;
  }
  const all = sortAuditFiles(
    listing
      .split('\0')
      .filter((p) => p !== '')
      .map((path) => ({ path })),
  ).map((f) => f.path);
  const paths = options.newestOnly ? all.slice(-1) : all;
  const texts = await readBlobs(
    repoDir,
    paths.map((p) => `${rev}:${p}`),
    { large: !options.newestOnly },
  );
  return paths.map((path, i) => ({ path, text: texts[i] ?? '' }));
}

function toEvent(record: AuditRecord): AuditEvent {
  const { seq: _seq, prev: _prev, hash: _hash, ...event } = record;
  return event;
}

// Random, growing pause so racing writers stop colliding; milliseconds.
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt, 10)));
}
