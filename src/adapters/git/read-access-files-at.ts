import { MAX_FILE_BYTES } from '../../core/source.js';
import type { InputFile } from '../../core/validate/validate-access-tree.js';
import { readBlobs, runGit } from './run-git.js';

/**
 * The access files as committed at `rev` (e.g. `main`, a commit SHA), whatever is checked out:
 * two git processes. Paths are shown as in the repository (`access/people/jsmith.yaml`), or
 * under `shownRoot` when given (the folder as the user named it). As the working-tree reader:
 * hidden entries are skipped, and a symbolic link or a file over 1 MiB comes back as a problem,
 * never read, so a tree judged from git and from disk gives the same diagnostics.
 */
export async function readAccessFilesAt(
  repoDir: string,
  rev: string,
  root = 'access',
  shownRoot = root,
): Promise<InputFile[]> {
  const prefix = root === '' || root === '.' ? '' : `${root}/`;
  const listing = (
    await runGit(['ls-tree', '-r', '-z', '-l', '--full-tree', rev, '--', ...(prefix ? [prefix] : [])], {
      cwd: repoDir,
    })
  ).toString('utf8');
  const entries = listing
    .split('\0')
    .filter((l) => l !== '')
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode = '', type = '', sha = '', size = ''] = line.slice(0, tab).split(/ +/);
      return { mode, type, sha, size: Number(size), path: line.slice(tab + 1) };
    })
    .filter(
      (e) =>
        /\.ya?ml$/.test(e.path) &&
        !e.path
          .slice(prefix.length)
          .split('/')
          .some((s) => s.startsWith('.')),
    );
  const shown = (path: string): string => {
    const rel = path.slice(prefix.length);
    return shownRoot === '.' || shownRoot === '' ? rel : `${shownRoot}/${rel}`;
  };
  const readable = entries.filter((e) => e.type === 'blob' && e.mode !== '120000' && e.size <= MAX_FILE_BYTES);
  const texts = await readBlobs(
    repoDir,
    readable.map((e) => e.sha),
  );
  const byPath = new Map(readable.map((e, i) => [e.path, texts[i] ?? '']));
  return entries.map((e): InputFile => {
    const path = shown(e.path);
    const text = byPath.get(e.path);
    if (text !== undefined) return { path, content: text };
    const [code, message] =
      e.mode === '120000'
        ? (['SYMBOLIC_LINK', 'symbolic links are not followed; put the file itself here'] as const)
        : e.type !== 'blob'
          ? (['SYMBOLIC_LINK', 'a submodule is not an access file'] as const)
          : ([
              'FILE_TOO_LARGE',
              `file is ${e.size} bytes; access files may be at most ${MAX_FILE_BYTES} bytes`,
            ] as const);
    return { path, problem: { code, severity: 'error', message, file: path, line: 1, column: 1 } };
  });
}

/** Versions of files before and after commits: `[commit, path]` pairs give `[text before, text after]` (undefined: absent). One git process. */
export async function readFileVersions(
  repoDir: string,
  pairs: ReadonlyArray<readonly [string, string]>,
): Promise<Array<[string | undefined, string | undefined]>> {
  const texts = await readBlobs(
    repoDir,
    pairs.flatMap(([commit, path]) => [`${commit}^1:${path}`, `${commit}:${path}`]),
  );
  return pairs.map((_, i) => [texts[i * 2], texts[i * 2 + 1]]);
}
