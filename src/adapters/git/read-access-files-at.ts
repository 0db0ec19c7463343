import type { InputFile } from '../../core/validate/validate-access-tree.js';
import { readBlobs, runGit } from './run-git.js';

/**
 * The access files as committed at `rev` (e.g. `main`), whatever is checked out: two git
 * processes. Paths are shown as in the repository (`access/people/jsmith.yaml`).
 */
export async function readAccessFilesAt(repoDir: string, rev: string, root = 'access'): Promise<InputFile[]> {
  const listing = (
    await runGit(['ls-tree', '-r', '-z', '--name-only', rev, '--', `${root}/`], { cwd: repoDir })
  ).toString('utf8');
  const paths = listing.split('\0').filter((p) => /\.ya?ml$/.test(p));
  const texts = await readBlobs(
    repoDir,
    paths.map((p) => `${rev}:${p}`),
  );
  return paths.map((path, i) => ({ path, content: texts[i] ?? '' }));
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
  return pairs.map((_, i) => [texts[2 * i], texts[2 * i + 1]]);
}
