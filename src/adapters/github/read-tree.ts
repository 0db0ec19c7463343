import { GitHubError } from '../../errors.js';
import type { GitHubClient } from './approval-octokit.js';
import { gitHubError } from './github-error.js';

/** One entry of a git tree as GitHub's trees API lists it. */
export interface TreeEntry {
  /** Path from the repository root. */
  path: string;
  /** Git file mode: `100644`, `100755`, `120000` (symbolic link), `160000` (submodule), `040000` (folder). */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  /** The object id (blob, tree or submodule commit). */
  sha: string;
  /** Bytes, for blobs. */
  size?: number;
}

export interface ReadTreeOptions {
  owner: string;
  repo: string;
  /** A commit (or tree) SHA: the tree is read at exactly this object, never at a moving ref. */
  sha: string;
}

/** What a tree read cost, for the call-count tests and the logs. */
export interface TreeRead {
  /** Every file of the commit (blobs, links, submodules), by path; folders are left out. */
  files: Map<string, TreeEntry>;
  /** Requests made: 1 unless GitHub truncated the recursive listing. */
  requests: number;
}

interface ApiTree {
  sha: string;
  truncated: boolean;
  tree: Array<{ path?: string; mode?: string; type?: string; sha?: string; size?: number }>;
}

/**
 * Every file of a commit through the git trees API: ONE recursive request whatever the number of
 * files. GitHub truncates a recursive listing past 100,000 entries or 7 MB (`truncated: true`,
 * no pagination); then the tree is walked: the folder itself without `recursive`, and each
 * sub-folder recursively, splitting again wherever GitHub truncates. Any failure, or an entry
 * GitHub does not describe fully, throws `GitHubError`: a partial listing would hide changed files.
 * @example (await readTree(octokit, { owner: 'example', repo: 'access', sha })).files.get('access/policy.yaml')?.sha
 */
export async function readTree(octokit: GitHubClient, options: ReadTreeOptions): Promise<TreeRead> {
  const files = new Map<string, TreeEntry>();
  let requests = 0;
  const fetchTree = async (sha: string, recursive: boolean, where: string): Promise<ApiTree> => {
    requests++;
    try {
      const response = await octokit.rest.git.getTree({
        owner: options.owner,
        repo: options.repo,
        tree_sha: sha,
        ...(recursive ? { recursive: 'true' } : {}),
      });
      return response.data as ApiTree;
    } catch (error) {
      throw gitHubError(
        `cannot read the tree of ${options.owner}/${options.repo} at ${options.sha}${where === '' ? '' : ` (${where}/)`}`,
        error,
      );
    }
  };
  const add = (prefix: string, listing: ApiTree, where: string): Array<{ path: string; sha: string }> => {
    const folders: Array<{ path: string; sha: string }> = [];
    for (const raw of listing.tree) {
      const entry = toEntry(raw, prefix, where, options);
      if (entry.type === 'tree') folders.push({ path: entry.path, sha: entry.sha });
      else files.set(entry.path, entry);
    }
    return folders;
  };
  const walk = async (sha: string, prefix: string): Promise<void> => {
    const whole = await fetchTree(sha, true, prefix);
    if (!whole.truncated) {
      add(prefix, whole, prefix);
      return;
    }
    // Too big for one listing: this level alone (never truncated below 100,000 direct entries), then each folder.
    const level = await fetchTree(sha, false, prefix);
    if (level.truncated)
      throw new GitHubError(
        `the tree of ${options.owner}/${options.repo} at ${options.sha}${prefix === '' ? '' : ` (${prefix}/)`} has more entries than GitHub lists in one folder`,
      );
    for (const folder of add(prefix, level, prefix)) await walk(folder.sha, folder.path);
  };
  await walk(options.sha, '');
  return { files, requests };
}

function toEntry(raw: ApiTree['tree'][number], prefix: string, where: string, options: ReadTreeOptions): TreeEntry {
  const { path, mode, type, sha } = raw;
  if (
    typeof path !== 'string' ||
    typeof mode !== 'string' ||
    typeof sha !== 'string' ||
    (type !== 'blob' && type !== 'tree' && type !== 'commit')
  )
    throw new GitHubError(
      `GitHub listed an entry it did not describe in the tree of ${options.owner}/${options.repo} at ${options.sha}${where === '' ? '' : ` (${where}/)`}`,
    );
  return {
    path: prefix === '' ? path : `${prefix}/${path}`,
    mode,
    type,
    sha,
    ...(typeof raw.size === 'number' ? { size: raw.size } : {}),
  };
}
