import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findRepositoryRoot, isQuietMiss, runGit } from '../../adapters/git/run-git.js';
import type { ScaffoldFile } from './render-scaffold.js';
import { scaffoldPaths } from './render-scaffold.js';

/** The paths of `scaffoldPaths()` that already exist under `dir`: `aac init` never overwrites. */
export function findExistingScaffoldFiles(dir: string): string[] {
  return scaffoldPaths().filter((path) => existsSync(join(dir, path)));
}

/** The owner of the `origin` remote's GitHub URL, when `dir` is in a repository that has one. */
export async function readOriginOwner(dir: string): Promise<string | undefined> {
  if (!existsSync(dir) || (await findRepositoryRoot(dir)) === undefined) return undefined;
  let url: string;
  try {
    url = (await runGit(['config', '--get', 'remote.origin.url'], { cwd: dir })).toString('utf8').trim();
  } catch (error) {
    if (isQuietMiss(error)) return undefined;
    throw error;
  }
  return /github\.com[/:]([A-Za-z0-9-]+)\//.exec(url)?.[1];
}

/**
 * Writes the files under `dir` (created if needed) and makes it a git repository on
 * `defaultBranch` when it is not inside one. Returns whether a repository was created.
 */
export async function writeScaffold(
  dir: string,
  files: readonly ScaffoldFile[],
  defaultBranch: string,
): Promise<boolean> {
  mkdirSync(dir, { recursive: true });
  const inRepository = (await findRepositoryRoot(dir)) !== undefined;
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    // 'wx': a file that appeared since the check is not overwritten.
    writeFileSync(path, file.content, { flag: 'wx' });
  }
  if (inRepository) return false;
  await runGit(['init', '--quiet', '--initial-branch', defaultBranch], { cwd: dir });
  return true;
}
