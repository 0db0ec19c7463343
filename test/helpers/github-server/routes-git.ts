import type { GitMode, GitTreeEntry } from './git-store.js';
import { isOurs, notFound, unprocessable } from './route.js';
import type { Route, RouteAnswer, RouteRequest } from './route.js';
import type { RepositoryState } from './state.js';
import { writeTarball } from './tarball.js';

/** Git data, contents and archive endpoints, with GitHub's limits on trees and directory listings. */
export const GIT_ROUTES: Route[] = [
  { method: 'GET', pattern: '/repos/{owner}/{repo}/git/trees/{sha}', handle: getTree },
  { method: 'GET', pattern: '/repos/{owner}/{repo}/git/blobs/{sha}', handle: getBlob },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/git/ref/{ref+}',
    handle: (request, state) => {
      if (!isOurs(request, state)) return notFound();
      const name = decodeURIComponent(request.params['ref']!).replace(/^heads\//, '');
      const sha = state.store.refs.get(name);
      return sha ? { status: 200, body: { ref: `refs/heads/${name}`, object: { sha, type: 'commit' } } } : notFound();
    },
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/git/commits/{sha}',
    handle: (request, state) => {
      const sha = request.params['sha']!;
      const commit = isOurs(request, state) ? state.store.commits.get(sha) : undefined;
      if (!commit) return notFound();
      return {
        status: 200,
        body: {
          sha,
          tree: { sha: commit.tree },
          parents: commit.parents.map((p) => ({ sha: p })),
          message: commit.message,
          verification: { verified: true, reason: 'valid' },
        },
      };
    },
  },
  {
    method: 'POST',
    pattern: '/repos/{owner}/{repo}/git/blobs',
    handle: (request, state) => {
      const { content, encoding } = request.body as { content: string; encoding?: string };
      const bytes = encoding === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
      return { status: 201, body: { sha: state.store.putBlob(bytes) } };
    },
  },
  { method: 'POST', pattern: '/repos/{owner}/{repo}/git/trees', handle: createTree },
  {
    method: 'POST',
    pattern: '/repos/{owner}/{repo}/git/commits',
    handle: (request, state) => {
      const { tree, parents, message } = request.body as { tree: string; parents: string[]; message: string };
      if (!state.store.trees.has(tree)) return unprocessable('Tree SHA does not exist');
      const sha = state.store.commit({ tree, parents: parents ?? [], message });
      return { status: 201, body: { sha, verification: { verified: true, reason: 'valid' } } };
    },
  },
  {
    method: 'POST',
    pattern: '/repos/{owner}/{repo}/git/refs',
    handle: (request, state) => {
      const { ref, sha } = request.body as { ref: string; sha: string };
      const name = ref.replace(/^refs\/heads\//, '');
      if (state.store.refs.has(name)) return unprocessable('Reference already exists');
      state.store.refs.set(name, sha);
      return { status: 201, body: { ref, object: { sha } } };
    },
  },
  {
    method: 'PATCH',
    pattern: '/repos/{owner}/{repo}/git/refs/{ref+}',
    handle: (request, state) => {
      const name = decodeURIComponent(request.params['ref']!).replace(/^heads\//, '');
      const { sha, force } = request.body as { sha: string; force?: boolean };
      const current = state.store.refs.get(name);
      if (!current) return unprocessable('Reference does not exist');
      if (!force && !state.store.isAncestor(current, sha)) return unprocessable('Update is not a fast forward');
      state.store.refs.set(name, sha);
      return { status: 200, body: { ref: `refs/heads/${name}`, object: { sha } } };
    },
  },
  { method: 'GET', pattern: '/repos/{owner}/{repo}/contents/{path+}', handle: getContents },
  { method: 'GET', pattern: '/repos/{owner}/{repo}/contents', handle: getContents },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/tarball/{ref+}',
    handle: (request, state) => {
      const commit = isOurs(request, state)
        ? state.store.commitOf(decodeURIComponent(request.params['ref']!))
        : undefined;
      if (!commit) return notFound();
      // GitHub redirects to codeload; the archive is served by this server too.
      const location = `${request.apiUrl.replace(/\/api\/v3$/, '')}/_codeload/${state.owner}/${state.repo}/legacy.tar.gz/${commit}`;
      return { status: 302, headers: { location }, body: '' };
    },
  },
];

/** The codeload endpoint the tarball redirect points at (no API authentication, like codeload's signed URLs). */
export function getArchive(state: RepositoryState, commit: string): RouteAnswer {
  if (!state.store.commits.has(commit)) return notFound();
  const raw = writeTarball(state.store, commit, `${state.owner}-${state.repo}-${commit.slice(0, 7)}`);
  return { status: 200, raw, headers: { 'content-type': 'application/x-gzip' } };
}

/** Serialized tree listings: trees never change, and a test of 10,000 files reads the same ones many times. */
const listings = new WeakMap<RepositoryState, Map<string, Buffer>>();

function getTree(request: RouteRequest, state: RepositoryState): RouteAnswer {
  const tree = isOurs(request, state) ? state.store.treeOf(decodeURIComponent(request.params['sha']!)) : undefined;
  if (!tree) return notFound();
  const recursive = request.query.has('recursive');
  const key = `${tree}:${recursive}:${state.limits.treeEntries}:${state.limits.treeBytes}:${request.apiUrl}`;
  let cached = listings.get(state);
  if (!cached) listings.set(state, (cached = new Map()));
  const raw = cached.get(key) ?? Buffer.from(JSON.stringify(listTree(request, state, tree, recursive)));
  cached.set(key, raw);
  return { status: 200, raw, headers: { 'content-type': 'application/json; charset=utf-8' } };
}

function listTree(request: RouteRequest, state: RepositoryState, tree: string, recursive: boolean): object {
  const { treeEntries, treeBytes } = state.limits;
  const url = (type: string, sha: string): string =>
    `${request.apiUrl}/repos/${state.owner}/${state.repo}/git/${type === 'tree' ? 'trees' : 'blobs'}/${sha}`;
  const entries: object[] = [];
  let bytes = 200;
  let truncated = false;
  const all = recursive
    ? state.store.walk(tree)
    : (state.store.trees.get(tree) ?? []).map((e) => ({ ...e, path: e.name }));
  for (const e of all) {
    const json = {
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.type === 'blob' ? { size: state.store.blobs.get(e.sha)!.length } : {}),
      url: url(e.type, e.sha),
    };
    const length = JSON.stringify(json).length + 1;
    // "The limit for the tree array is 100,000 entries with a maximum size of 7 MB when using the recursive parameter."
    if (recursive && (entries.length >= treeEntries || bytes + length > treeBytes)) {
      truncated = true;
      break;
    }
    entries.push(json);
    bytes += length;
  }
  return { sha: tree, url: url('tree', tree), tree: entries, truncated };
}

function getBlob(request: RouteRequest, state: RepositoryState): RouteAnswer {
  const sha = request.params['sha']!;
  const bytes = isOurs(request, state) ? state.store.blobs.get(sha) : undefined;
  if (!bytes) return notFound();
  return {
    status: 200,
    body: {
      sha,
      node_id: `B_${sha}`,
      size: bytes.length,
      url: `${request.apiUrl}/repos/${state.owner}/${state.repo}/git/blobs/${sha}`,
      content: base64Lines(bytes),
      encoding: 'base64',
    },
  };
}

function createTree(request: RouteRequest, state: RepositoryState): RouteAnswer {
  const { tree, base_tree } = request.body as {
    tree: Array<{ path: string; mode: GitMode; type: 'blob' | 'tree'; sha?: string | null; content?: string }>;
    base_tree?: string;
  };
  const files = new Map<string, { mode: GitMode; sha: string }>();
  if (base_tree) {
    if (!state.store.trees.has(base_tree)) return unprocessable('Invalid tree info');
    for (const e of state.store.walk(base_tree)) if (e.type === 'blob') files.set(e.path, { mode: e.mode, sha: e.sha });
  }
  for (const e of tree) {
    if (e.sha === null) files.delete(e.path);
    else if (e.content !== undefined) files.set(e.path, { mode: e.mode, sha: state.store.putBlob(e.content) });
    else if (e.sha && state.store.blobs.has(e.sha)) files.set(e.path, { mode: e.mode, sha: e.sha });
    else return unprocessable('Invalid tree info');
  }
  return { status: 201, body: { sha: writeEntries(state, files) } };
}

/** Nested trees from flat path -> (mode, blob) entries. */
function writeEntries(state: RepositoryState, files: Map<string, { mode: GitMode; sha: string }>): string {
  const root = new Map<string, unknown>();
  for (const [path, entry] of files) {
    const parts = path.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      if (!(dir.get(part) instanceof Map)) dir.set(part, new Map<string, unknown>());
      dir = dir.get(part) as Map<string, unknown>;
    }
    dir.set(parts.at(-1)!, entry);
  }
  const write = (dir: Map<string, unknown>): string =>
    state.store.putTree(
      [...dir].map(([name, value]): GitTreeEntry => {
        if (value instanceof Map) return { name, mode: '040000', type: 'tree', sha: write(value) };
        const e = value as { mode: GitMode; sha: string };
        return { name, mode: e.mode, type: 'blob', sha: e.sha };
      }),
    );
  return write(root);
}

function getContents(request: RouteRequest, state: RepositoryState): RouteAnswer {
  if (!isOurs(request, state)) return notFound();
  const ref = request.query.get('ref') ?? state.defaultBranch;
  const commit = state.store.commitOf(ref);
  if (!commit) return notFound();
  const path = decodeURIComponent(request.params['path'] ?? '').replace(/\/+$/, '');
  const entry = state.store.entryAt(state.store.commits.get(commit)!.tree, path);
  if (!entry) return notFound();
  const item = (e: GitTreeEntry, at: string) => ({
    type: e.type === 'tree' ? 'dir' : e.mode === '120000' ? 'symlink' : e.type === 'commit' ? 'submodule' : 'file',
    name: e.name,
    path: at,
    sha: e.sha,
    size: e.type === 'blob' ? state.store.blobs.get(e.sha)!.length : 0,
    url: `${request.apiUrl}/repos/${state.owner}/${state.repo}/contents/${at}?ref=${ref}`,
  });
  if (entry.type === 'tree') {
    // "This API has an upper limit of 1,000 files for a directory": the rest is silently left out.
    const listing = (state.store.trees.get(entry.sha) ?? []).slice(0, state.limits.directoryEntries);
    return { status: 200, body: listing.map((e) => item(e, path === '' ? e.name : `${path}/${e.name}`)) };
  }
  const bytes = state.store.blobs.get(entry.sha)!;
  const large = bytes.length > state.limits.contentsFileBytes;
  return {
    status: 200,
    body: {
      ...item(entry, path),
      content: large ? '' : base64Lines(bytes),
      encoding: large ? 'none' : 'base64',
    },
  };
}

/** Base64 with a newline every 60 characters, as GitHub sends blob content. */
function base64Lines(bytes: Buffer): string {
  return (
    bytes
      .toString('base64')
      .match(/.{1,60}/g)
      ?.join('\n') ?? ''
  );
}
