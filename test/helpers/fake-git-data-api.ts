import { createHash } from 'node:crypto';
import nock from 'nock';

interface Commit {
  tree: string;
  parents: string[];
  message: string;
}

/**
 * GitHub's git data API (refs, commits, trees, blobs) for one repository, served by nock from
 * memory: enough of the real endpoints' behaviour (422 on a non-fast-forward ref update, 404
 * for a missing ref) to test writers at the HTTP edge. `calls` counts requests per route.
 */
export class FakeGitDataApi {
  readonly refs = new Map<string, string>();
  readonly blobs = new Map<string, string>();
  readonly trees = new Map<string, Map<string, string>>(); // flat: path -> blob sha
  readonly commits = new Map<string, Commit>();
  readonly calls: string[] = [];
  /** Called before a ref update is applied; lets a test move the ref first, like a concurrent writer. */
  beforeRefUpdate: (() => void | Promise<unknown>) | undefined;

  constructor(
    readonly owner = 'example',
    readonly repo = 'access',
    readonly origin = 'https://api.github.com',
  ) {}

  install(): void {
    const base = `/repos/${this.owner}/${this.repo}/git`;
    const scope = nock(this.origin).persist();
    const json = (status: number, body: unknown): [number, string, Record<string, string>] => [
      status,
      JSON.stringify(body),
      { 'content-type': 'application/json' },
    ];
    // Octokit sends `heads/x` as `heads%2Fx`; GitHub accepts both.
    const refName = (uri: string, marker: string): string =>
      decodeURIComponent(uri.split(marker)[1]!).replace(/^heads\//, '');
    scope.get(new RegExp(`^${base}/ref/`)).reply((uri) => {
      this.calls.push('get-ref');
      const name = refName(uri, '/git/ref/');
      const sha = this.refs.get(name);
      return sha
        ? json(200, { ref: `refs/heads/${name}`, object: { sha, type: 'commit' } })
        : json(404, { message: 'Not Found' });
    });
    scope.get(new RegExp(`^${base}/commits/([0-9a-f]+)$`)).reply((uri) => {
      this.calls.push('get-commit');
      const sha = uri.split('/').pop()!;
      const c = this.commits.get(sha);
      return c
        ? json(200, { sha, tree: { sha: c.tree }, parents: c.parents.map((p) => ({ sha: p })), message: c.message })
        : json(404, { message: 'Not Found' });
    });
    // Only the trees this store holds: another interceptor (the pull request's commits) answers the rest.
    const ours = (uri: string): boolean => {
      const m = new RegExp(`^${base}/trees/([0-9a-f]+)`).exec(uri);
      return m !== null && this.trees.has(m[1]!);
    };
    scope.get(ours).reply((uri) => {
      this.calls.push('get-tree');
      const sha = uri.split('/trees/')[1]!.split('?')[0]!;
      const tree = this.trees.get(sha);
      if (!tree) return json(404, { message: 'Not Found' });
      const dirs = new Set(
        [...tree.keys()].flatMap((p) =>
          p
            .split('/')
            .slice(0, -1)
            .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
        ),
      );
      const entries = [
        ...[...dirs].map((path) => ({ path, mode: '040000', type: 'tree', sha: hash(`dir ${path}`) })),
        ...[...tree].map(([path, blob]) => ({ path, mode: '100644', type: 'blob', sha: blob })),
      ];
      return json(200, { sha, tree: entries, truncated: false });
    });
    scope.get(new RegExp(`^${base}/blobs/([0-9a-f]+)$`)).reply((uri) => {
      this.calls.push('get-blob');
      const text = this.blobs.get(uri.split('/').pop()!);
      return text === undefined
        ? json(404, { message: 'Not Found' })
        : json(200, { content: Buffer.from(text).toString('base64'), encoding: 'base64' });
    });
    scope.post(`${base}/blobs`).reply((_uri, body) => {
      this.calls.push('create-blob');
      const { content, encoding } = body as { content: string; encoding: string };
      const text = encoding === 'base64' ? Buffer.from(content, 'base64').toString('utf8') : content;
      const sha = hash(`blob ${text}`);
      this.blobs.set(sha, text);
      return json(201, { sha });
    });
    scope.post(`${base}/trees`).reply((_uri, body) => {
      this.calls.push('create-tree');
      const { tree, base_tree } = body as { tree: Array<{ path: string; sha: string }>; base_tree?: string };
      const files = new Map(base_tree ? this.trees.get(base_tree) : []);
      for (const e of tree) files.set(e.path, e.sha);
      const sha = hash(`tree ${JSON.stringify([...files].sort())}`);
      this.trees.set(sha, files);
      return json(201, { sha });
    });
    scope.post(`${base}/commits`).reply((_uri, body) => {
      this.calls.push('create-commit');
      const { tree, parents, message } = body as Commit;
      const sha = hash(`commit ${tree} ${parents.join(',')} ${message} ${this.commits.size}`);
      this.commits.set(sha, { tree, parents, message });
      return json(201, { sha, verification: { verified: true, reason: 'valid' } });
    });
    scope.patch(new RegExp(`^${base}/refs/`)).reply(async (uri, body) => {
      this.calls.push('update-ref');
      const name = refName(uri, '/git/refs/');
      await this.beforeRefUpdate?.();
      const { sha, force } = body as { sha: string; force?: boolean };
      const current = this.refs.get(name);
      if (!current) return json(422, { message: 'Reference does not exist' });
      if (!force && !this.isAncestor(current, sha)) return json(422, { message: 'Update is not a fast forward' });
      this.refs.set(name, sha);
      return json(200, { ref: `refs/heads/${name}`, object: { sha } });
    });
    scope.post(`${base}/refs`).reply((_uri, body) => {
      this.calls.push('create-ref');
      const { ref, sha } = body as { ref: string; sha: string };
      const name = ref.replace(/^refs\/heads\//, '');
      if (this.refs.has(name)) return json(422, { message: 'Reference already exists' });
      this.refs.set(name, sha);
      return json(201, { ref, object: { sha } });
    });
  }

  /** The text of `path` at the tip of `branch`. */
  fileAt(branch: string, path: string): string | undefined {
    const commit = this.commits.get(this.refs.get(branch) ?? '');
    const blob = commit ? this.trees.get(commit.tree)?.get(path) : undefined;
    return blob ? this.blobs.get(blob) : undefined;
  }

  private isAncestor(ancestor: string, sha: string): boolean {
    const queue = [sha];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (next === ancestor) return true;
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return false;
  }
}

function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
