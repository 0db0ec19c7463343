import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The access folder a command works on when none is named: the nearest `access/` holding a
 * `policy.yaml`, looking in `cwd` and then each parent, as git looks for `.git`, and not past the
 * top of the git work tree `cwd` is in. So `aac validate` works from `access/people/` or any other
 * folder of the repository. Falls back to `cwd/access` (whose absence the command then reports).
 * @example findAccessDir('/repo/access/people') // '/repo/access'
 */
export function findAccessDir(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, 'access');
    if (existsSync(join(candidate, 'policy.yaml'))) return candidate;
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) break;
  }
  return resolve(cwd, 'access');
}

/** DIR as the user gave it (relative to `cwd`), else the access folder found from `cwd`. */
export function resolveAccessDir(given: string | undefined, cwd: string): string {
  return given === undefined ? findAccessDir(cwd) : resolve(cwd, given);
}
