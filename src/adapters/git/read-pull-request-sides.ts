import { MAX_FILE_BYTES } from '../../core/source.js';
import type { GovernedFile } from '../../core/policy/change.js';
import type { PullRequestSide } from '../../core/policy/evaluate-pull-request.js';
import type { InputFile } from '../../core/validate/validate-access-tree.js';
import { InputError } from '../../errors.js';
import { readBlobBytes, runGit } from './run-git.js';

export interface ReadSidesOptions {
  /** Repository root. */
  repo: string;
  base: string;
  head: string;
  /** The access folder relative to the repository root, e.g. `access`. */
  accessDir: string;
  /** Where CODEOWNERS and the schemas live, relative to the root. */
  codeownersPath?: string;
  schemasDir?: string;
}

export interface PullRequestSides {
  base: PullRequestSide;
  head: PullRequestSide;
  baseSha: string;
  headSha: string;
}

interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  size: number;
  path: string;
}

/**
 * Both sides of a pull request from git: one `rev-parse`, one `ls-tree` per ref and one
 * `git cat-file --batch` for all blobs of both (a blob both sides share is read once).
 * Four processes whatever the size of the tree.
 */
export async function readPullRequestSides(options: ReadSidesOptions): Promise<PullRequestSides> {
  const { repo } = options;
  const accessDir = options.accessDir.replace(/^\/+|\/+$/g, '');
  const codeownersPath = options.codeownersPath ?? '.github/CODEOWNERS';
  const schemasDir = options.schemasDir ?? 'schemas';
  // A ref starting with '-' would be read as an option by git.
  if ([options.base, options.head].some((ref) => ref.startsWith('-')))
    throw new InputError('a ref may not start with "-"');
  let shas: string[];
  try {
    shas = (await runGit(['rev-parse', `${options.base}^{commit}`, `${options.head}^{commit}`], { cwd: repo }))
      .toString('utf8')
      .trim()
      .split('\n');
  } catch (error) {
    throw new InputError(`cannot resolve --base ${options.base} or --head ${options.head} to a commit`, {
      cause: error,
    });
  }
  const [baseSha = '', headSha = ''] = shas;
  const lsTree = async (sha: string): Promise<TreeEntry[]> =>
    parseLsTree(
      await runGit(['ls-tree', '-r', '-z', '--long', '--full-tree', sha, '--', accessDir, codeownersPath, schemasDir], {
        cwd: repo,
      }),
    );
  const [baseEntries, headEntries] = await Promise.all([lsTree(baseSha), lsTree(headSha)]);
  const wanted = (e: TreeEntry): boolean => e.type === 'blob' && e.size <= MAX_FILE_BYTES && e.mode !== '120000';
  const oids = [...new Set([...baseEntries, ...headEntries].filter(wanted).map((e) => e.oid))];
  const bytes = await readBlobBytes(repo, oids);
  const blob = new Map(oids.map((oid, i) => [oid, bytes[i]]));
  const side = (entries: TreeEntry[]): PullRequestSide =>
    toSide(entries, blob, { accessDir, codeownersPath, schemasDir });
  return { base: side(baseEntries), head: side(headEntries), baseSha, headSha };
}

function toSide(
  entries: TreeEntry[],
  blobs: Map<string, Uint8Array | undefined>,
  layout: { accessDir: string; codeownersPath: string; schemasDir: string },
): PullRequestSide {
  const files: InputFile[] = [];
  const governed: GovernedFile[] = [];
  const decoder = new TextDecoder();
  for (const entry of entries) {
    const bytes = blobs.get(entry.oid);
    const text = bytes === undefined || isAccessFile(entry.path, layout.accessDir) ? undefined : decoder.decode(bytes);
    if (entry.path === layout.codeownersPath) {
      if (text !== undefined) governed.push({ path: entry.path, text, kind: 'codeowners' });
    } else if (entry.path.startsWith(`${layout.schemasDir}/`)) {
      if (text !== undefined && entry.path.endsWith('.json')) governed.push({ path: entry.path, text, kind: 'schema' });
    } else if (isAccessFile(entry.path, layout.accessDir)) {
      files.push(toInput(entry, bytes));
    }
  }
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : 1)), governed };
}

/** The same files `readAccessFiles` reads from disk: YAML, no hidden path segments. */
function isAccessFile(path: string, accessDir: string): boolean {
  const rel = accessDir === '' ? path : path.startsWith(`${accessDir}/`) ? path.slice(accessDir.length + 1) : undefined;
  return rel !== undefined && /\.ya?ml$/.test(rel) && !rel.split('/').some((s) => s.startsWith('.'));
}

// Access files stay bytes: parseSource reports a file that is not UTF-8, and bytes can go to the parse worker as they are.
function toInput(entry: TreeEntry, bytes: Uint8Array | undefined): InputFile {
  const problem = (code: 'FILE_TOO_LARGE' | 'BINARY_FILE', message: string): InputFile => ({
    path: entry.path,
    problem: { code, severity: 'error', message, file: entry.path, line: 1, column: 1 },
  });
  if (entry.mode === '120000')
    return problem('BINARY_FILE', 'symbolic links are not followed; put the file itself here');
  if (entry.size > MAX_FILE_BYTES)
    return problem(
      'FILE_TOO_LARGE',
      `file is ${entry.size} bytes; access files may be at most ${MAX_FILE_BYTES} bytes`,
    );
  return { path: entry.path, content: bytes ?? new Uint8Array(0) };
}

/** `git ls-tree -z --long`: `<mode> SP <type> SP <oid> SP+ <size> TAB <path> NUL`. */
function parseLsTree(output: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.toString('utf8').split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode = '', type = '', oid = '', size = '0'] = record.slice(0, tab).split(/ +/);
    entries.push({ mode, type, oid, size: Number(size) || 0, path: record.slice(tab + 1) });
  }
  return entries;
}
