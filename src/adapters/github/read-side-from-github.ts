import { MAX_FILE_BYTES } from '../../core/source.js';
import { CODEOWNERS_PATHS, isAccessFilePath } from '../../core/policy/governed-paths.js';
import type { PullRequestSide } from '../../core/policy/evaluate-pull-request.js';
import type { InputFile } from '../../core/validate/validate-access-tree.js';
import { GitHubError } from '../../errors.js';
import type { GitHubClient } from './approval-octokit.js';
import { readTree } from './read-tree.js';
import type { TreeEntry } from './read-tree.js';
import { gitHubError } from './github-error.js';

export interface ReadSideOptions {
  owner: string;
  repo: string;
  /** Commit SHA: both reads are of exactly this commit. */
  ref: string;
  /** The access folder relative to the repository root, e.g. `access`. */
  accessDir: string;
}

const BLOB = 'text isBinary isTruncated byteSize';
// Three levels below access/: access/<folder>/<file> is the layout; one more level lets
// validation report a misplaced file instead of silently missing it.
const ENTRY = (inner: string): string => `entries { path mode type object { ... on Blob { ${BLOB} } ${inner} } }`;
const ACCESS_TREE = ENTRY(`... on Tree { ${ENTRY(`... on Tree { ${ENTRY('')} }`)} }`);

/** One GraphQL query: the text of every file under the access folder, and of the three places CODEOWNERS may be. */
export const READ_SIDE_QUERY = `query aacReadSide($owner: String!, $repo: String!, $access: String!, $co0: String!, $co1: String!, $co2: String!) {
  repository(owner: $owner, name: $repo) {
    access: object(expression: $access) { ... on Tree { ${ACCESS_TREE} } }
    co0: object(expression: $co0) { ... on Blob { ${BLOB} } }
    co1: object(expression: $co1) { ... on Blob { ${BLOB} } }
    co2: object(expression: $co2) { ... on Blob { ${BLOB} } }
  }
}`;

interface GqlBlob {
  text?: string | null;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  byteSize?: number;
  entries?: GqlEntry[];
}
interface GqlEntry {
  path: string;
  mode: number;
  type: string;
  object: GqlBlob | null;
}
type ReadSideResponse = {
  repository: { access: GqlBlob | null; co0: GqlBlob | null; co1: GqlBlob | null; co2: GqlBlob | null } | null;
};

const SYMLINK_MODE = 0o120000;

/**
 * One side of a pull request through the GitHub API, in two requests whatever the number of
 * files: the commit's whole tree (git trees API: every path with its blob id and mode, for the
 * governed files outside the access folder) and one GraphQL query with the text of every access
 * file and of CODEOWNERS. Both read git objects by SHA, never a checkout `.gitattributes` could
 * rewrite. The two must list the same access files, or the read fails (fail closed).
 */
export async function readSideFromGitHub(octokit: GitHubClient, options: ReadSideOptions): Promise<PullRequestSide> {
  const accessDir = options.accessDir.replace(/^\/+|\/+$/g, '');
  const [tree, response] = await Promise.all([
    readTree(octokit, { owner: options.owner, repo: options.repo, sha: options.ref }),
    queryTexts(octokit, options, accessDir),
  ]);
  if (!response.repository) throw new GitHubError(`repository ${options.owner}/${options.repo} not found`);
  const files: InputFile[] = [];
  const tooDeep: string[] = [];
  const walk = (entries: readonly GqlEntry[]): void => {
    for (const entry of entries) {
      const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      if (name.startsWith('.')) continue;
      const children = entry.object?.entries;
      if (entry.type === 'tree') {
        if (Array.isArray(children)) walk(children);
        else {
          files.push(misplacedFolder(entry.path));
          tooDeep.push(`${entry.path}/`);
        }
      } else if (entry.type === 'blob' && /\.ya?ml$/.test(name)) files.push(toInput(entry));
    }
  };
  walk(response.repository.access?.entries ?? []);
  checkSameAccessFiles(tree.files, files, tooDeep, accessDir, options);
  const blobs = new Map([...tree.files.values()].map((e: TreeEntry) => [e.path, `${e.mode} ${e.sha}`]));
  const codeowners = [response.repository.co0, response.repository.co1, response.repository.co2];
  // GitHub reads the first CODEOWNERS it finds: .github/, then the root, then docs/.
  const found = CODEOWNERS_PATHS.findIndex(
    (path, i) => tree.files.has(path) && typeof codeowners[i]?.text === 'string',
  );
  return {
    files: files.sort((a, b) => (a.path < b.path ? -1 : 1)),
    blobs,
    ...(found < 0 ? {} : { codeowners: { path: CODEOWNERS_PATHS[found]!, text: codeowners[found]!.text! } }),
  };
}

async function queryTexts(
  octokit: GitHubClient,
  options: ReadSideOptions,
  accessDir: string,
): Promise<ReadSideResponse> {
  try {
    return await octokit.graphql<ReadSideResponse>(READ_SIDE_QUERY, {
      owner: options.owner,
      repo: options.repo,
      access: `${options.ref}:${accessDir}`,
      co0: `${options.ref}:${CODEOWNERS_PATHS[0]}`,
      co1: `${options.ref}:${CODEOWNERS_PATHS[1]}`,
      co2: `${options.ref}:${CODEOWNERS_PATHS[2]}`,
    });
  } catch (error) {
    throw gitHubError(`cannot read the access files of ${options.owner}/${options.repo} at ${options.ref}`, error);
  }
}

/**
 * The tree listing and the text query read one commit; if they disagree on which access files
 * exist, one of them is incomplete, and judging either would miss a file.
 */
function checkSameAccessFiles(
  tree: ReadonlyMap<string, TreeEntry>,
  files: readonly InputFile[],
  tooDeep: readonly string[],
  accessDir: string,
  options: ReadSideOptions,
): void {
  const read = new Set(files.map((f) => f.path));
  const listed = [...tree.keys()].filter((p) => isAccessFilePath(p, accessDir));
  const missing = listed.filter((p) => !read.has(p) && !tooDeep.some((folder) => p.startsWith(folder)));
  const extra = files.filter((f) => !('problem' in f && tooDeep.includes(`${f.path}/`)) && !tree.has(f.path));
  if (missing.length > 0 || extra.length > 0)
    throw new GitHubError(
      `GitHub's tree and file reads of ${options.owner}/${options.repo} at ${options.ref} disagree on ${[...missing, ...extra.map((f) => f.path)].slice(0, 5).join(', ')}; not judging a partial read`,
    );
}

function toInput(entry: GqlEntry): InputFile {
  const blob = entry.object ?? {};
  const problem = (code: 'FILE_TOO_LARGE' | 'BINARY_FILE', message: string): InputFile => ({
    path: entry.path,
    problem: { code, severity: 'error', message, file: entry.path, line: 1, column: 1 },
  });
  if (entry.mode === SYMLINK_MODE)
    return problem('BINARY_FILE', 'symbolic links are not followed; put the file itself here');
  if ((blob.byteSize ?? 0) > MAX_FILE_BYTES || blob.isTruncated)
    return problem(
      'FILE_TOO_LARGE',
      `file is ${blob.byteSize ?? 'too many'} bytes; access files may be at most ${MAX_FILE_BYTES} bytes`,
    );
  if (blob.isBinary || typeof blob.text !== 'string') return problem('BINARY_FILE', 'file is not UTF-8 text');
  return { path: entry.path, content: blob.text };
}

/**
 * A folder deeper than the query reads. Its files are misplaced wherever they are, and the
 * reconciler reads the tree to any depth: skipping them silently would pass a tree here that
 * fails there, so the folder itself is reported (fail closed, no extra request).
 */
function misplacedFolder(path: string): InputFile {
  return {
    path,
    problem: {
      code: 'MISPLACED_FILE',
      severity: 'error',
      message: 'a folder this deep is not an access folder; access files live in <access>/<folder>/<file>',
      file: path,
      line: 1,
      column: 1,
    },
  };
}
