import { relative, sep } from 'node:path';
import { findRepositoryRoot, resolveCommit, runGit } from '../../adapters/git/run-git.js';
import { UsageError } from '../../errors.js';

/**
 * Where the reconciler reads the access files from. In a git checkout, always the git objects of
 * one commit (`HEAD`, or `--ref`), never the working tree: what is applied is what was committed
 * (and so could be reviewed), and the audit record can name it. Outside git (the demo, a plain
 * folder) the files on disk, and no commit is recorded.
 */
export type AccessSource =
  | {
      kind: 'commit';
      repoDir: string;
      /** The revision as asked (`HEAD`, `main`, a SHA). */
      ref: string;
      commit: string;
      tree: string;
      /** The access folder's path inside the repository (`access`). */
      root: string;
      /** Paths under the access folder that differ from `HEAD` in the working tree (ignored, and mentioned). */
      uncommitted: string[];
    }
  | { kind: 'working-tree' };

/**
 * Resolves the source of `accessDir` (absolute). `ref` given outside a git checkout, or naming no
 * commit, is a usage error.
 */
export async function resolveAccessSource(accessDir: string, ref: string | undefined): Promise<AccessSource> {
  const repoDir = await findRepositoryRoot(accessDir);
  if (repoDir === undefined) {
    if (ref !== undefined) throw new UsageError(`--ref ${ref}: ${accessDir} is not in a git checkout`);
    return { kind: 'working-tree' };
  }
  const rev = ref ?? 'HEAD';
  const commit = await resolveCommit(repoDir, rev);
  if (commit === undefined)
    throw new UsageError(
      ref === undefined
        ? `${repoDir} has no commit yet: commit the access files, then apply`
        : `--ref ${ref}: no such commit in ${repoDir}`,
    );
  const root = relative(repoDir, accessDir).split(sep).join('/');
  const [tree, status] = await Promise.all([
    runGit(['rev-parse', `${commit}^{tree}`], { cwd: repoDir }).then((b) => b.toString('utf8').trim()),
    runGit(['status', '--porcelain', '-z', '--untracked-files=all', '--', root === '' ? '.' : root], {
      cwd: repoDir,
    }).then((b) => b.toString('utf8')),
  ]);
  const uncommitted = status
    .split('\0')
    .filter((entry) => /^.. /.test(entry))
    .map((entry) => entry.slice(3));
  return { kind: 'commit', repoDir, ref: rev, commit, tree, root: root === '' ? '.' : root, uncommitted };
}
