import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

/** Git's modes as the trees API shows them. */
export type GitMode = '100644' | '100755' | '120000' | '040000' | '160000';

export interface GitTreeEntry {
  name: string;
  mode: GitMode;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

export interface GitCommit {
  tree: string;
  parents: string[];
  message: string;
}

/** A file to write: its text or bytes (mode 100644), or a symbolic link to `target`. */
export type FileSpec = string | Uint8Array | { symlink: string } | { executable: string };

/**
 * Git objects in memory, hashed exactly as git hashes them (`blob <size>\0<bytes>`, trees with
 * git's entry order and binary SHAs, commits with fixed identities), so SHAs are real: an
 * unchanged file has the same blob SHA at every commit, like on GitHub, and a test can check a
 * tree against `git mktree`.
 */
export class GitStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, GitTreeEntry[]>();
  readonly commits = new Map<string, GitCommit>();
  /** Branch name (without `refs/heads/`) -> commit SHA. */
  readonly refs = new Map<string, string>();
  /** The serialized bodies of trees and commits (blobs are their bytes), for exportTo. */
  readonly #raw = new Map<string, { type: 'tree' | 'commit'; body: Buffer }>();
  #time = 1_700_000_000;

  putBlob(content: string | Uint8Array): string {
    const bytes = Buffer.from(typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    const sha = hashObject('blob', bytes);
    this.blobs.set(sha, bytes);
    return sha;
  }

  putTree(entries: readonly GitTreeEntry[]): string {
    const sorted = [...entries].sort((a, b) => compareEntryNames(a, b));
    const body = Buffer.concat(
      sorted.map((e) =>
        Buffer.concat([
          Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`, 'utf8'),
          Buffer.from(e.sha, 'hex'),
        ]),
      ),
    );
    const sha = hashObject('tree', body);
    this.trees.set(sha, sorted);
    this.#raw.set(sha, { type: 'tree', body });
    return sha;
  }

  /** Writes `files` (path -> content) as nested trees and returns the root tree's SHA. */
  writeFiles(files: ReadonlyMap<string, FileSpec> | Record<string, FileSpec>): string {
    const map = files instanceof Map ? files : new Map(Object.entries(files));
    const root = new Map<string, unknown>();
    for (const [path, spec] of map) {
      const parts = path.split('/');
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let next = dir.get(part);
        if (!(next instanceof Map)) dir.set(part, (next = new Map<string, unknown>()));
        dir = next as Map<string, unknown>;
      }
      dir.set(parts.at(-1)!, spec);
    }
    const write = (dir: Map<string, unknown>): string =>
      this.putTree(
        [...dir].map(([name, value]): GitTreeEntry => {
          if (value instanceof Map) return { name, mode: '040000', type: 'tree', sha: write(value) };
          const spec = value as FileSpec;
          if (typeof spec === 'object' && 'symlink' in spec)
            return { name, mode: '120000', type: 'blob', sha: this.putBlob(spec.symlink) };
          if (typeof spec === 'object' && 'executable' in spec)
            return { name, mode: '100755', type: 'blob', sha: this.putBlob(spec.executable) };
          return { name, mode: '100644', type: 'blob', sha: this.putBlob(spec) };
        }),
      );
    return write(root);
  }

  commit(commit: GitCommit): string {
    const time = this.#time++;
    const who = `aac test <test@example.org> ${time} +0000`;
    const text = [
      `tree ${commit.tree}`,
      ...commit.parents.map((p) => `parent ${p}`),
      `author ${who}`,
      `committer ${who}`,
      '',
      commit.message,
      '',
    ].join('\n');
    const body = Buffer.from(text, 'utf8');
    const sha = hashObject('commit', body);
    this.commits.set(sha, { ...commit, parents: [...commit.parents] });
    this.#raw.set(sha, { type: 'commit', body });
    return sha;
  }

  /** A commit of `files` on top of `parents`; moves `branch` when given. */
  commitFiles(
    files: ReadonlyMap<string, FileSpec> | Record<string, FileSpec>,
    options: { parents?: string[]; message?: string; branch?: string } = {},
  ): string {
    const sha = this.commit({
      tree: this.writeFiles(files),
      parents: options.parents ?? [],
      message: options.message ?? 'commit',
    });
    if (options.branch) this.refs.set(options.branch, sha);
    return sha;
  }

  /** A commit SHA, tree SHA or branch name -> the tree SHA it names (undefined when unknown). */
  treeOf(ref: string): string | undefined {
    if (this.trees.has(ref)) return ref;
    const commit = this.commits.get(this.refs.get(ref) ?? ref);
    return commit?.tree;
  }

  /** A commit SHA or branch name -> commit SHA. */
  commitOf(ref: string): string | undefined {
    if (this.commits.has(ref)) return ref;
    const sha = this.refs.get(ref.replace(/^(refs\/)?heads\//, ''));
    return sha && this.commits.has(sha) ? sha : undefined;
  }

  /** The entry at `path` below tree `tree` ('' is the tree itself). */
  entryAt(tree: string, path: string): GitTreeEntry | undefined {
    let current: GitTreeEntry = { name: '', mode: '040000', type: 'tree', sha: tree };
    for (const part of path.split('/').filter(Boolean)) {
      if (current.type !== 'tree') return undefined;
      const next = this.trees.get(current.sha)?.find((e) => e.name === part);
      if (!next) return undefined;
      current = next;
    }
    return current;
  }

  /** Every entry below `tree`, depth first in git's order (as `git ls-tree -r -t`), with full paths. */
  *walk(tree: string, prefix = ''): Generator<GitTreeEntry & { path: string }> {
    for (const entry of this.trees.get(tree) ?? []) {
      const path = `${prefix}${entry.name}`;
      yield { ...entry, path };
      if (entry.type === 'tree') yield* this.walk(entry.sha, `${path}/`);
    }
  }

  /** The files (blobs) below `tree`: path -> content. */
  filesOf(tree: string): Map<string, Buffer> {
    const files = new Map<string, Buffer>();
    for (const entry of this.walk(tree)) if (entry.type === 'blob') files.set(entry.path, this.blobs.get(entry.sha)!);
    return files;
  }

  /**
   * Writes every object as a loose object of a new git repository at `dir` (same SHAs: the
   * objects are git's) and points `refs/heads/<name>` at the given commits, so the CLI can judge
   * exactly what the API served.
   */
  exportTo(dir: string, branches: Record<string, string>): void {
    execFileSync('git', ['init', '-q', dir], { env: { PATH: process.env['PATH'], HOME: dir } });
    const write = (sha: string, type: string, body: Buffer): void => {
      const folder = join(dir, '.git', 'objects', sha.slice(0, 2));
      mkdirSync(folder, { recursive: true });
      writeFileSync(
        join(folder, sha.slice(2)),
        deflateSync(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body])),
      );
    };
    for (const [sha, bytes] of this.blobs) write(sha, 'blob', bytes);
    for (const [sha, { type, body }] of this.#raw) write(sha, type, body);
    for (const [name, sha] of Object.entries(branches)) {
      mkdirSync(join(dir, '.git', 'refs', 'heads'), { recursive: true });
      writeFileSync(join(dir, '.git', 'refs', 'heads', name), `${sha}\n`);
    }
  }

  isAncestor(ancestor: string, sha: string): boolean {
    const queue = [sha];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return false;
  }
}

export function hashObject(type: 'blob' | 'tree' | 'commit', body: Buffer): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}

// Git orders tree entries by name, comparing a subtree's name as if it ended in '/'.
function compareEntryNames(a: GitTreeEntry, b: GitTreeEntry): number {
  const key = (e: GitTreeEntry): Buffer => Buffer.from(e.type === 'tree' ? `${e.name}/` : e.name, 'utf8');
  return Buffer.compare(key(a), key(b));
}
