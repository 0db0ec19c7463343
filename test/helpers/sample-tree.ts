import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listYamlFiles } from '../../src/adapters/fs/read-access-files.js';
import { loadSchemas } from '../../src/adapters/fs/load-schemas.js';
import type { Diagnostic, DiagnosticCode } from '../../src/core/diagnostics.js';
import { createSchemaChecker } from '../../src/core/validate/schema-diagnostics.js';
import type { SchemaChecker } from '../../src/core/validate/schema-diagnostics.js';
import { validateAccessTree } from '../../src/core/validate/validate-access-tree.js';
import type { RetiredIdentity, ValidationResult } from '../../src/core/validate/validate-access-tree.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SAMPLE_DIR = `${REPO_ROOT}access`;
/** The time sample-based tests judge by. */
export const NOW = Date.parse('2026-11-22T12:00:00Z');

let checker: SchemaChecker | undefined;
export function schemaChecker(): SchemaChecker {
  checker ??= createSchemaChecker(loadSchemas());
  return checker;
}

/** The bundled sample as `{ 'access/people/jsmith.yaml': text, ... }`. */
export function sampleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const path of listYamlFiles(SAMPLE_DIR)) files[`access/${path}`] = readFileSync(`${SAMPLE_DIR}/${path}`, 'utf8');
  return files;
}

/**
 * Validates the sample with some files replaced (`text`), added, or removed (`null`).
 * Builders over the real sample keep tests short and the sample honest.
 */
export function validateWith(
  changes: Record<string, string | null> = {},
  options: { now?: number; retired?: RetiredIdentity[]; base?: Record<string, string> } = {},
): ValidationResult & { files: Record<string, string> } {
  const files = { ...(options.base ?? sampleFiles()) };
  for (const [path, text] of Object.entries(changes)) {
    if (text === null) delete files[path];
    else files[path] = text;
  }
  const result = validateAccessTree({
    root: 'access',
    files: Object.entries(files).map(([path, content]) => ({ path, content })),
    checkSchema: schemaChecker(),
    now: options.now ?? NOW,
    retired: options.retired ?? [],
  });
  return { ...result, files };
}

/** 1-based line and column of the `occurrence`-th (0-based) appearance of `needle` in `text`. */
export function positionOf(text: string, needle: string, occurrence = 0): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" not found (occurrence ${occurrence})`);
  }
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const column = index - before.lastIndexOf('\n');
  return { line, column };
}

/** The diagnostics with `code`, as `{file, line, column}` for compact assertions. */
export function where(
  diagnostics: readonly Diagnostic[],
  code: DiagnosticCode,
): Array<{ file: string; line: number; column: number }> {
  return diagnostics.filter((d) => d.code === code).map(({ file, line, column }) => ({ file, line, column }));
}

/** Asserts-friendly: the expected location of `needle` in a file of the result. */
export function at(
  result: { files: Record<string, string> },
  file: string,
  needle: string,
  occurrence = 0,
): { file: string; line: number; column: number } {
  const text = result.files[file];
  if (text === undefined) throw new Error(`no file ${file}`);
  return { file, ...positionOf(text, needle, occurrence) };
}

/** Sample person file text with a few fields replaced; `extra` is appended verbatim. */
export function person(fields: Record<string, string>, grants = ''): string {
  const lines = Object.entries(fields).map(([k, v]) => `${k}: ${v}`);
  return `kind: Person\n${lines.join('\n')}\n${grants}`;
}

/** Position of the value of the `occurrence`-th `key:` in a file (the first character after `key: `). */
export function atValue(
  result: { files: Record<string, string> },
  file: string,
  key: string,
  occurrence = 0,
): { file: string; line: number; column: number } {
  const text = result.files[file];
  if (text === undefined) throw new Error(`no file ${file}`);
  const re = new RegExp(`(^|\\n)([ \\t]*(?:- )?)${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:[ \\t]*`, 'g');
  let match: RegExpExecArray | null = null;
  for (let i = 0; i <= occurrence; i++) {
    match = re.exec(text);
    if (!match) throw new Error(`key ${key} not found (occurrence ${occurrence}) in ${file}`);
  }
  const index = match!.index + match![0].length;
  const before = text.slice(0, index);
  return { file, line: before.split('\n').length, column: index - before.lastIndexOf('\n') };
}
