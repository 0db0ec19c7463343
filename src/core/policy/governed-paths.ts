import { compilePattern } from './parse-codeowners.js';

/**
 * What the gate governs (DESIGN.md, "What the gate governs"): every path that changes what the
 * gate or the reconciler does. Access files are judged by their tiers; every other governed path
 * needs the highest tier plus its code owners.
 *
 * The rule is "everything but documentation": code, configuration, workflows, templates,
 * schemas, lockfiles, `.gitattributes` and `.gitmodules` (anywhere), the teams file of workflow
 * mode and any file nobody thought of are governed. Documentation (Markdown and reStructuredText
 * files, licence and changelog files, images, `docs/`) is not, except inside the folders that
 * are always governed. A policy can add patterns (`governance.paths`, gitignore syntax as in
 * CODEOWNERS) to govern documentation too; it cannot take anything away from this list.
 */

/** Where GitHub looks for CODEOWNERS, in the order it looks: the first one found is used. */
export const CODEOWNERS_PATHS: readonly string[] = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

/** Folders whose every file is governed, documentation included (each is code, configuration or rendered text). */
export const ALWAYS_GOVERNED_FOLDERS: readonly string[] = [
  '.github',
  'schemas',
  'templates',
  'src',
  'dist',
  'bin',
  'lib',
  'scripts',
  'node_modules',
];

const DOCUMENTATION_NAME =
  /^(?:readme|license|licence|copying|notice|authors|contributors|changelog|changes)(?:\.[^/]*)?$/i;
const DOCUMENTATION_EXTENSION = /\.(?:md|markdown|rst|adoc|png|jpe?g|gif|webp)$/i;

/** The layout the rules need: where the access folder is. */
export interface GovernanceLayout {
  /** The access folder relative to the repository root, e.g. `access`. */
  accessDir: string;
}

/**
 * Whether changing `path` (relative to the repository root) needs the gate's approval.
 * `extra` are the BASE policy's `governance.paths`, compiled.
 * @example isGovernedPath('.github/workflows/reconcile.yml', { accessDir: 'access' }) // true
 * @example isGovernedPath('README.md', { accessDir: 'access' }) // false
 */
export function isGovernedPath(path: string, layout: GovernanceLayout, extra: readonly RegExp[] = []): boolean {
  if (CODEOWNERS_PATHS.includes(path)) return true;
  const access = layout.accessDir.replace(/^\/+|\/+$/g, '');
  if (access === '' || path === access || path.startsWith(`${access}/`)) return true;
  if (ALWAYS_GOVERNED_FOLDERS.some((folder) => path.startsWith(`${folder}/`))) return true;
  if (extra.some((pattern) => pattern.test(path))) return true;
  return !isDocumentation(path);
}

/** Markdown, reStructuredText, licence and changelog files, images, and anything under `docs/` (not its CODEOWNERS). */
export function isDocumentation(path: string): boolean {
  if (CODEOWNERS_PATHS.includes(path)) return false;
  const name = path.slice(path.lastIndexOf('/') + 1);
  return path.startsWith('docs/') || DOCUMENTATION_NAME.test(name) || DOCUMENTATION_EXTENSION.test(name);
}

/** The patterns of `governance.paths`, compiled once (invalid ones are refused by the schema). */
export function compileGovernancePaths(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => compilePattern(p));
}

/**
 * Whether the readers of access files read `path` (relative to the repository root): a YAML
 * file under the access folder with no hidden segment. The same rule in `aac validate`, the
 * reconciler, `aac evaluate` and the app, so that none of them sees a file the others skip.
 */
export function isAccessFilePath(path: string, accessDir: string): boolean {
  const access = accessDir.replace(/^\/+|\/+$/g, '');
  const rel = access === '' ? path : path.startsWith(`${access}/`) ? path.slice(access.length + 1) : undefined;
  return rel !== undefined && /\.ya?ml$/.test(rel) && !rel.split('/').some((s) => s.startsWith('.'));
}
