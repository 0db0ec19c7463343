import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { MAX_FILE_BYTES } from '../../core/source.js';
import type { InputFile } from '../../core/validate/validate-access-tree.js';
import { InputError } from '../../errors.js';

export interface AccessFiles {
  /** The folder as shown in diagnostics, e.g. `access`. */
  root: string;
  files: InputFile[];
}

/**
 * Reads every `.yaml`/`.yml` file under `dir` (sorted, hidden entries skipped). Files too large
 * or behind a symbolic link are not read and come back as problems instead.
 * Synchronous on purpose: thousands of small files read faster this way than with many promises.
 */
export function readAccessFiles(dir: string, cwd: string = process.cwd()): AccessFiles {
  let stat;
  try {
    stat = lstatSync(dir);
  } catch (error) {
    throw new InputError(
      `cannot read ${dir}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (error as Error).message}`,
      { cause: error },
    );
  }
  if (!stat.isDirectory()) throw new InputError(`${dir} is not a directory`);
  const root = displayPath(dir, cwd);
  const files: InputFile[] = [];
  for (const path of listYamlFiles(dir)) {
    const shown = root === '.' ? path : `${root}/${path}`;
    const full = join(dir, path);
    const info = lstatSync(full);
    if (info.isSymbolicLink()) {
      files.push({
        path: shown,
        problem: {
          code: 'SYMBOLIC_LINK',
          severity: 'error',
          message: 'symbolic links are not followed; put the file itself here',
          file: shown,
          line: 1,
          column: 1,
        },
      });
    } else if (info.size > MAX_FILE_BYTES) {
      files.push({
        path: shown,
        problem: {
          code: 'FILE_TOO_LARGE',
          severity: 'error',
          message: `file is ${info.size} bytes; access files may be at most ${MAX_FILE_BYTES} bytes`,
          file: shown,
          line: 1,
          column: 1,
        },
      });
    } else {
      files.push({ path: shown, content: readFileSync(full) });
    }
  }
  return { root, files };
}

/** Paths of YAML files under `dir`, relative, with `/` separators, sorted. */
export function listYamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string, prefix: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(join(folder, entry.name), rel);
      else if (/\.ya?ml$/.test(entry.name)) out.push(rel);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** `dir` relative to `cwd` when inside it (`access`), else as given; always with `/`. */
export function displayPath(dir: string, cwd: string): string {
  const rel = relative(cwd, dir);
  const shown = rel === '' ? '.' : rel.startsWith('..') || rel.startsWith(sep) ? dir : rel;
  return shown.split(sep).join('/').replace(/\/+$/, '') || '.';
}
