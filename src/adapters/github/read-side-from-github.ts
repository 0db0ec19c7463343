import { MAX_FILE_BYTES } from '../../core/source.js';
import type { GovernedFile } from '../../core/policy/change.js';
import type { PullRequestSide } from '../../core/policy/evaluate-pull-request.js';
import type { InputFile } from '../../core/validate/validate-access-tree.js';
import type { GitHubClient } from './approval-octokit.js';
import { GitHubError } from '../../errors.js';
import { gitHubError } from './github-error.js';

export interface ReadSideOptions {
  owner: string;
  repo: string;
  /** Commit SHA (or any revision GitHub accepts in `object(expression:)`). */
  ref: string;
  /** The access folder relative to the repository root, e.g. `access`. */
  accessDir: string;
  codeownersPath?: string;
  schemasDir?: string;
}

const BLOB = 'text isBinary isTruncated byteSize';
// Three levels below access/: access/<folder>/<file> is the layout; one more level lets
// validation report a misplaced file instead of silently missing it.
const ENTRY = (inner: string): string => `entries { path mode type object { ... on Blob { ${BLOB} } ${inner} } }`;
const ACCESS_TREE = ENTRY(`... on Tree { ${ENTRY(`... on Tree { ${ENTRY('')} }`)} }`);

/** One GraphQL query: every file under the access folder, CODEOWNERS and the schemas, with their text. */
export const READ_SIDE_QUERY = `query aacReadSide($owner: String!, $repo: String!, $access: String!, $codeowners: String!, $schemas: String!) {
  repository(owner: $owner, name: $repo) {
    access: object(expression: $access) { ... on Tree { ${ACCESS_TREE} } }
    codeowners: object(expression: $codeowners) { ... on Blob { ${BLOB} } }
    schemas: object(expression: $schemas) { ... on Tree { ${ENTRY('')} } }
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
interface ReadSideResponse {
  repository: { access: GqlBlob | null; codeowners: GqlBlob | null; schemas: GqlBlob | null } | null;
}

const SYMLINK_MODE = 0o120000;

/**
 * One side of a pull request through the GitHub API: a single GraphQL request returns the text
 * of every access file, CODEOWNERS and the schemas at `ref`. The number of requests does not
 * depend on how many files exist or changed.
 */
export async function readSideFromGitHub(octokit: GitHubClient, options: ReadSideOptions): Promise<PullRequestSide> {
  const accessDir = options.accessDir.replace(/^\/+|\/+$/g, '');
  let response: ReadSideResponse;
  try {
    response = await octokit.graphql<ReadSideResponse>(READ_SIDE_QUERY, {
      owner: options.owner,
      repo: options.repo,
      access: `${options.ref}:${accessDir}`,
      codeowners: `${options.ref}:${options.codeownersPath ?? '.github/CODEOWNERS'}`,
      schemas: `${options.ref}:${options.schemasDir ?? 'schemas'}`,
    });
  } catch (error) {
    throw gitHubError(`cannot read the access files of ${options.owner}/${options.repo} at ${options.ref}`, error);
  }
  if (!response.repository) throw new GitHubError(`repository ${options.owner}/${options.repo} not found`);
  const files: InputFile[] = [];
  const walk = (entries: readonly GqlEntry[]): void => {
    for (const entry of entries) {
      const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      if (name.startsWith('.')) continue;
      const children = entry.object?.entries;
      if (entry.type === 'tree') {
        if (Array.isArray(children)) walk(children);
        else files.push(tooDeep(entry.path));
      } else if (entry.type === 'blob' && /\.ya?ml$/.test(name)) files.push(toInput(entry));
    }
  };
  walk(response.repository.access?.entries ?? []);
  const governed: GovernedFile[] = [];
  const codeowners = response.repository.codeowners;
  if (typeof codeowners?.text === 'string')
    governed.push({ path: options.codeownersPath ?? '.github/CODEOWNERS', kind: 'codeowners', text: codeowners.text });
  for (const entry of response.repository.schemas?.entries ?? []) {
    if (entry.type === 'blob' && entry.path.endsWith('.json') && typeof entry.object?.text === 'string')
      governed.push({ path: entry.path, kind: 'schema', text: entry.object.text });
  }
  return {
    files: files.sort((a, b) => (a.path < b.path ? -1 : 1)),
    governed: governed.sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
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
 * reconciler reads the working tree to any depth: skipping them silently would pass a tree here
 * that fails there, so the folder itself is reported (fail closed, no extra request).
 */
function tooDeep(path: string): InputFile {
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
