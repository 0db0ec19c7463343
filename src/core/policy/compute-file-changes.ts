import type { Change, ChangeOf, FileStatus } from './change.js';
import { CODEOWNERS_PATHS, isAccessFilePath, isGovernedPath } from './governed-paths.js';

/** Every file of one side of a pull request: path (from the repository root) -> blob id (equal ids, equal contents). */
export type RepositoryBlobs = ReadonlyMap<string, string>;

export interface FileChangeOptions {
  /** The access folder relative to the repository root, e.g. `access`. */
  accessDir: string;
  /** The schemas folder, e.g. `schemas`: its changes are `schema-changed`. */
  schemasDir: string;
  /** The base policy's `governance.paths`, compiled. */
  extra: readonly RegExp[];
  /** Changes to access entities already found; a file they account for is not reported again. */
  accessChanges: readonly Change[];
}

/**
 * The governed files that differ between base and head, by blob id, across the whole
 * repository: CODEOWNERS (`codeowners-changed`), the schemas (`schema-changed`) and every other
 * governed file (`file-changed`; see governed-paths.ts). A file removed from one path and added
 * at another with the same contents is one rename (`previousPath`), never "no change": a move
 * changes what the paths mean, and the owners of the old path judge it. Access files are judged
 * by the entities they hold (`accessChanges`); only a file added, removed or moved that no
 * entity change accounts for (a person file renamed from .yaml to .yml) is reported here.
 * @example computeFileChanges(base, head, options) // [{ kind: 'file-changed', subject: '.github/workflows/reconcile.yml', fileStatus: 'modified', ... }]
 */
export function computeFileChanges(base: RepositoryBlobs, head: RepositoryBlobs, options: FileChangeOptions): Change[] {
  const explained = new Set<string>();
  for (const c of options.accessChanges) {
    explained.add(c.file);
    if (c.previousPath !== undefined) explained.add(c.previousPath);
  }
  const removed: string[] = [];
  const added: string[] = [];
  const modified: string[] = [];
  for (const [path, blob] of base) {
    const now = head.get(path);
    if (now === undefined) removed.push(path);
    else if (now !== blob) modified.push(path);
  }
  for (const path of head.keys()) if (!base.has(path)) added.push(path);

  const out: Change[] = [];
  const governed = (path: string): boolean => isGovernedPath(path, options, options.extra);
  // An access file's contents are judged through its entities; only its path coming or going matters here.
  const counts = (path: string, pathEvent: boolean): boolean =>
    governed(path) && !(isAccessFilePath(path, options.accessDir) && (!pathEvent || explained.has(path)));
  for (const path of modified) if (counts(path, false)) out.push(fileChange(path, 'modified', options));

  const unmatched = new Set(removed);
  const byBlob = new Map<string, string[]>();
  for (const path of [...removed].sort()) {
    const list = byBlob.get(base.get(path)!);
    if (list) list.push(path);
    else byBlob.set(base.get(path)!, [path]);
  }
  for (const path of [...added].sort()) {
    const from = byBlob.get(head.get(path)!)?.find((p) => unmatched.has(p));
    if (from !== undefined && (counts(path, true) || counts(from, true))) {
      unmatched.delete(from);
      out.push({ ...fileChange(path, 'renamed', options, from), previousPath: from });
    } else if (from !== undefined) {
      unmatched.delete(from);
    } else if (counts(path, true)) out.push(fileChange(path, 'added', options));
  }
  for (const path of unmatched) if (counts(path, true)) out.push(fileChange(path, 'removed', options));
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function fileChange(
  path: string,
  status: FileStatus,
  options: FileChangeOptions,
  from?: string,
): ChangeOf<'file-changed' | 'codeowners-changed' | 'schema-changed'> {
  const schemas = options.schemasDir.replace(/^\/+|\/+$/g, '');
  const paths = from === undefined ? [path] : [path, from];
  const kind = paths.some((p) => CODEOWNERS_PATHS.includes(p))
    ? ('codeowners-changed' as const)
    : paths.some((p) => p.startsWith(`${schemas}/`))
      ? ('schema-changed' as const)
      : ('file-changed' as const);
  return { kind, subject: path, file: path, line: 1, fileStatus: status };
}
