import { relative, sep } from 'node:path';
import { parse } from '../../vendor/yaml.js';
import type { RetiredIdentity } from '../../core/validate/validate-access-tree.js';
import { GitError, InputError } from '../../errors.js';
import { readBlobs, runGit } from './run-git.js';

interface Event {
  commit: string;
  /** Blob spec holding the identity as it was: `<commit>^:<path>` or `<commit>:<path>`. */
  spec: string;
  /** Set when the file was renamed: the uid it continues as. */
  renamedTo?: string;
  /** The status-change case: only counts if the blob says `status: deleted`. */
  needsDeletedStatus: boolean;
}

/**
 * Identities that git history shows were retired: person files deleted or renamed, or set to
 * `status: deleted`. Three git processes in all, whatever the history length.
 * Returns [] when `accessDir` is not in a git repository or the repository has no commits yet;
 * throws (GitError, InputError) when the history exists but cannot be read whole, including a
 * shallow clone, since a missed retirement would let an identifier be given to someone else.
 */
export async function readRetiredIdentities(accessDir: string, rev?: string): Promise<RetiredIdentity[]> {
  // `git log` without a revision reads HEAD and says "no commits yet" the way the catch below expects.
  const revs = rev === undefined ? [] : [rev];
  const repository = await readRepository(accessDir);
  if (repository === undefined) return [];
  const repo = repository.root;
  if (repository.shallow)
    throw new InputError(
      `${repo} is a shallow clone, so the retired uids and emails in its history cannot all be read: ` +
        'fetch the whole history (actions/checkout with fetch-depth: 0) or pass --no-history',
    );
  const peopleDir = [relative(repo, accessDir).split(sep).join('/'), 'people'].filter((p) => p !== '').join('/');
  let log: string;
  let statusLog: string;
  try {
    [log, statusLog] = await Promise.all([
      runGit(
        ['log', '-M', '--name-status', '--no-merges', '--diff-filter=DR', '--format=%x00%H', ...revs, '--', peopleDir],
        {
          cwd: repo,
        },
      ).then((b) => b.toString('utf8')),
      runGit(
        [
          'log',
          '-G',
          '^status:[[:space:]]*deleted',
          '--name-only',
          '--no-merges',
          '--format=%x00%H',
          ...revs,
          '--',
          peopleDir,
        ],
        { cwd: repo },
      ).then((b) => b.toString('utf8')),
    ]);
  } catch (error) {
    if (error instanceof GitError && error.code === 'no-commits') return [];
    throw error;
  }

  const events: Event[] = [];
  for (const [commit, lines] of commits(log)) {
    for (const line of lines) {
      const [status = '', from = '', to] = line.split('\t');
      if (status === 'D') events.push({ commit, spec: `${commit}^:${from}`, needsDeletedStatus: false });
      else if (status.startsWith('R') && to !== undefined) {
        events.push({ commit, spec: `${commit}^:${from}`, renamedTo: uidOf(to), needsDeletedStatus: false });
      }
    }
  }
  for (const [commit, lines] of commits(statusLog)) {
    for (const path of lines) events.push({ commit, spec: `${commit}:${path}`, needsDeletedStatus: true });
  }

  const blobs = await readBlobs(
    repo,
    events.map((e) => e.spec),
  );
  const retired: RetiredIdentity[] = [];
  events.forEach((event, i) => {
    const identity = identityOf(blobs[i]);
    if (!identity || (event.needsDeletedStatus && identity.status !== 'deleted')) return;
    const { status: _status, ...rest } = identity;
    retired.push({
      ...rest,
      ...(event.renamedTo ? { renamedTo: event.renamedTo } : {}),
      evidence: `commit ${event.commit.slice(0, 10)}`,
    });
  });
  return retired;
}

function* commits(log: string): Iterable<[string, string[]]> {
  for (const chunk of log.split('\0')) {
    const lines = chunk.split('\n').filter((l) => l.trim() !== '');
    const [commit, ...rest] = lines;
    if (commit) yield [commit.trim(), rest];
  }
}

function uidOf(path: string): string {
  return (path.split('/').pop() ?? '').replace(/\.ya?ml$/, '');
}

function identityOf(text: string | undefined): (Omit<RetiredIdentity, 'evidence'> & { status?: unknown }) | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 100, logLevel: 'error' }); // warnings about old versions are noise; errors still throw
  } catch {
    return undefined; // an old broken file tells us nothing reliable
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
  const uid = str(v['uid']);
  const email = str(v['email']);
  if (!uid && !email) return undefined;
  return { uid, email, employeeId: str(v['employeeId']), name: str(v['name']), status: v['status'] };
}

/** The repository holding `dir` and whether it is shallow (one git process), or undefined outside git. */
async function readRepository(dir: string): Promise<{ root: string; shallow: boolean } | undefined> {
  let out: string;
  try {
    out = (await runGit(['rev-parse', '--show-toplevel', '--is-shallow-repository'], { cwd: dir })).toString('utf8');
  } catch (error) {
    if (error instanceof GitError && error.code === 'not-a-repository') return undefined;
    throw error;
  }
  const [root = '', shallow = ''] = out.trim().split('\n');
  return { root, shallow: shallow === 'true' };
}
