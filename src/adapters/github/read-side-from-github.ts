import { MAX_FILE_BYTES } from '../../core/source.js';
import { CODEOWNERS_PATHS, isAccessFilePath } from '../../core/policy/governed-paths.js';
import type { PullRequestSide } from '../../core/policy/evaluate-pull-request.js';
import type { InputFile } from '../../core/validate/validate-access-tree.js';
import { GitHubError } from '../../errors.js';
import type { GitHubClient } from './approval-octokit.js';
import { fetchBlobs } from './fetch-blobs.js';
import type { FetchBlobsOptions, FetchCounts, WantedBlob } from './fetch-blobs.js';
import { FileCache } from './file-cache.js';
import { readTree } from './read-tree.js';
import type { TreeEntry } from './read-tree.js';

export { statusOf } from './github-error.js';

/** GitHub does not load a CODEOWNERS file of 3 MB or more ("CODEOWNERS files must be under 3 MB in size"). */
const MAX_CODEOWNERS_BYTES = 3 * 1024 * 1024;

export interface ReadSidesOptions {
  owner: string;
  repo: string;
  /** The two commits: each side is read at exactly this object. */
  base: string;
  head: string;
  /** The access folder relative to the repository root, e.g. `access`. */
  accessDir: string;
  /** Blobs already known (by SHA) are not fetched again; fetched ones are kept. Default: a new, empty cache. */
  cache?: FileCache;
  /** Tuning of the blob reads (tests); see FetchBlobsOptions. */
  fetch?: Pick<FetchBlobsOptions, 'textBudget' | 'maxPerQuery' | 'archiveAbove' | 'maxExactReads' | 'warn'>;
}

/** What reading the two sides cost: requests by kind, and blobs found in the cache or fetched. */
export interface ReadCounts extends FetchCounts {
  trees: number;
  blobsKnown: number;
  blobsFetched: number;
}

/**
 * Both sides of a pull request through the GitHub API: each commit's whole tree (git trees API:
 * one request unless GitHub truncates it), then the bytes of the access files and CODEOWNERS
 * that are not already in `cache`, for both sides at once (a file the sides share is read
 * once): none on a review event, the changed files on a push, the commit's archive on a cold
 * start (see fetchBlobs). Every byte is checked against the blob SHA the tree names, and any
 * failure is a GitHubError, never a missing file.
 * @example const { base, head } = await readSidesFromGitHub(octokit, { owner, repo, base: baseSha, head: headSha, accessDir: 'access', cache })
 */
export async function readSidesFromGitHub(
  octokit: GitHubClient,
  options: ReadSidesOptions,
): Promise<{ base: PullRequestSide; head: PullRequestSide; counts: ReadCounts }> {
  const where = { owner: options.owner, repo: options.repo };
  const cache = options.cache ?? new FileCache();
  const accessDir = options.accessDir.replace(/^\/+|\/+$/g, '');
  const [baseTree, headTree] = await Promise.all([
    readTree(octokit, { ...where, sha: options.base }),
    options.head === options.base ? undefined : readTree(octokit, { ...where, sha: options.head }),
  ]);
  const plans = [planSide(baseTree.files, accessDir), planSide((headTree ?? baseTree).files, accessDir)] as const;
  const bytes = new Map<string, Uint8Array>(); // this read's blobs, whatever the cache evicts meanwhile
  const missing = new Map<string, WantedBlob>();
  for (const plan of plans)
    for (const w of plan.wanted) {
      if (bytes.has(w.sha) || missing.has(w.sha)) continue;
      const known = cache.blob(w.sha);
      if (known) bytes.set(w.sha, known);
      else missing.set(w.sha, w);
    }
  const counts: ReadCounts = {
    trees: baseTree.requests + (headTree?.requests ?? 0),
    blobsKnown: bytes.size,
    blobsFetched: missing.size,
    archive: 0,
    graphql: 0,
    rest: 0,
  };
  // The archive of head: a cold start wants nearly every file of both sides, and head holds most of them.
  const fetched = await fetchBlobs(
    octokit,
    [...missing.values()],
    { ...where, commit: options.head, ...options.fetch },
    counts,
  );
  for (const [sha, blob] of fetched) {
    bytes.set(sha, blob);
    cache.putBlob(sha, blob);
  }
  return { base: toSide(plans[0], bytes), head: toSide(plans[1], bytes), counts };
}

/** One side alone (the same reads as readSidesFromGitHub). */
export async function readSideFromGitHub(
  octokit: GitHubClient,
  options: Omit<ReadSidesOptions, 'base' | 'head'> & { ref: string },
): Promise<PullRequestSide> {
  return (await readSidesFromGitHub(octokit, { ...options, base: options.ref, head: options.ref })).head;
}

interface SidePlan {
  /** The access files: a blob to read, or the reason it is not read. */
  access: Array<{ path: string; sha: string } | { path: string; problem: InputFile & { problem: unknown } }>;
  codeowners?: { path: string; sha: string };
  blobs: Map<string, string>;
  wanted: WantedBlob[];
}

function planSide(files: ReadonlyMap<string, TreeEntry>, accessDir: string): SidePlan {
  const plan: SidePlan = { access: [], blobs: new Map(), wanted: [] };
  const want = (entry: TreeEntry): { path: string; sha: string } => {
    if (entry.size === undefined)
      throw new GitHubError(`GitHub listed ${entry.path} without its size; not judging a partial read`);
    plan.wanted.push({ sha: entry.sha, size: entry.size, path: entry.path });
    return { path: entry.path, sha: entry.sha };
  };
  for (const entry of files.values()) {
    plan.blobs.set(entry.path, `${entry.mode} ${entry.sha}`);
    if (!isAccessFilePath(entry.path, accessDir)) continue;
    const problem = problemOf(entry);
    plan.access.push(problem ? { path: entry.path, problem } : want(entry));
  }
  plan.access.sort((a, b) => (a.path < b.path ? -1 : 1));
  // GitHub reads the first CODEOWNERS it finds: .github/, then the root, then docs/.
  const codeowners = CODEOWNERS_PATHS.map((p) => files.get(p)).find((e) => e?.type === 'blob');
  if (codeowners && (codeowners.size ?? 0) < MAX_CODEOWNERS_BYTES) plan.codeowners = want(codeowners);
  return plan;
}

/** Why a file under the access folder is not read: a link, a submodule, or too large to be an access file. */
function problemOf(entry: TreeEntry): (InputFile & { problem: unknown }) | undefined {
  const problem = (code: 'FILE_TOO_LARGE' | 'BINARY_FILE', message: string) => ({
    path: entry.path,
    problem: { code, severity: 'error' as const, message, file: entry.path, line: 1, column: 1 },
  });
  if (entry.mode === '120000')
    return problem('BINARY_FILE', 'symbolic links are not followed; put the file itself here');
  if (entry.type !== 'blob') return problem('BINARY_FILE', 'a submodule is not an access file');
  if ((entry.size ?? 0) > MAX_FILE_BYTES)
    return problem(
      'FILE_TOO_LARGE',
      `file is ${entry.size} bytes; access files may be at most ${MAX_FILE_BYTES} bytes`,
    );
  return undefined;
}

function toSide(plan: SidePlan, bytes: ReadonlyMap<string, Uint8Array>): PullRequestSide {
  const blob = (sha: string, path: string): Uint8Array => {
    const found = bytes.get(sha);
    if (!found) throw new GitHubError(`${path} (blob ${sha}) was not read; not judging a partial read`);
    return found;
  };
  const files: InputFile[] = plan.access.map((a) =>
    'problem' in a ? a.problem : { path: a.path, content: blob(a.sha, a.path) },
  );
  return {
    files,
    blobs: plan.blobs,
    ...(plan.codeowners
      ? {
          codeowners: {
            path: plan.codeowners.path,
            // As GitHub reads it: text, invalid bytes replaced.
            text: new TextDecoder().decode(blob(plan.codeowners.sha, plan.codeowners.path)),
          },
        }
      : {}),
  };
}
