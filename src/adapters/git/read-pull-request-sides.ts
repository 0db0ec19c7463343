import { MAX_FILE_BYTES } from '../../core/source.js';
import { CODEOWNERS_PATHS, isAccessFilePath } from '../../core/policy/governed-paths.js';
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
 * Both sides of a pull request from git objects (never the working tree, which `.gitattributes`
 * filters could rewrite): one `rev-parse`, one `ls-tree` of the WHOLE repository per ref (every
 * path and blob id: the gate governs more than the access folder) and one `git cat-file --batch`
 * for the access files and CODEOWNERS of both (a blob both sides share is read once). Four
 * processes whatever the size of the tree.
 */
export async function readPullRequestSides(options: ReadSidesOptions): Promise<PullRequestSides> {
  const { repo } = options;
  const accessDir = options.accessDir.replace(/^\/+|\/+$/g, '');
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
  const [baseEntries, headEntries] = await Promise.all(
    [baseSha, headSha].map(async (sha) =>
      parseLsTree(await runGit(['ls-tree', '-r', '-z', '--long', '--full-tree', sha], { cwd: repo })),
    ),
  );
  const wanted = (e: TreeEntry): boolean =>
    e.type === 'blob' &&
    e.size <= MAX_FILE_BYTES &&
    e.mode !== '120000' &&
    (isAccessFilePath(e.path, accessDir) || CODEOWNERS_PATHS.includes(e.path));
  const oids = [...new Set([...baseEntries!, ...headEntries!].filter(wanted).map((e) => e.oid))];
  const bytes = await readBlobBytes(repo, oids);
  const blob = new Map(oids.map((oid, i) => [oid, bytes[i]]));
  const side = (entries: TreeEntry[]): PullRequestSide => toSide(entries, blob, accessDir);
  return { base: side(baseEntries!), head: side(headEntries!), baseSha, headSha };
}

function toSide(entries: TreeEntry[], blobs: Map<string, Uint8Array | undefined>, accessDir: string): PullRequestSide {
  const files: InputFile[] = [];
  const paths = new Map<string, string>();
  const codeowners = new Map<string, string>();
  const decoder = new TextDecoder();
  for (const entry of entries) {
    // The mode is part of what a file is: making a script executable, or a file a link, changes it.
    paths.set(entry.path, `${entry.mode} ${entry.oid}`);
    const bytes = blobs.get(entry.oid);
    if (isAccessFilePath(entry.path, accessDir)) files.push(toInput(entry, bytes));
    else if (CODEOWNERS_PATHS.includes(entry.path) && bytes !== undefined && entry.mode !== '120000')
      codeowners.set(entry.path, decoder.decode(bytes));
  }
  // GitHub reads the first CODEOWNERS it finds, in this order.
  const found = CODEOWNERS_PATHS.find((p) => codeowners.has(p));
  return {
    files: files.sort((a, b) => (a.path < b.path ? -1 : 1)),
    blobs: paths,
    ...(found === undefined ? {} : { codeowners: { path: found, text: codeowners.get(found)! } }),
  };
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
