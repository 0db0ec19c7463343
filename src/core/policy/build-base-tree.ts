import { buildAccessTree, markBroken } from '../model/access-tree.js';
import type { AccessTree } from '../model/access-tree.js';
import { parseSource } from '../source.js';
import type { ParseResult, SourceFile } from '../source.js';
import type { SchemaChecker } from '../validate/schema-diagnostics.js';
import type { InputFile, ValidationResult } from '../validate/validate-access-tree.js';

/**
 * The base side's access tree, reusing what validating head already parsed: a base file whose
 * text equals the head file's is the same parsed source, so only files the pull request
 * touches are parsed and schema-checked again. On a 10,000-person tree with a few changed
 * files this makes the base side nearly free. The base is not validated beyond its schema:
 * it is what was merged, and its rules are the ones that judge the pull request.
 * `parsed[i]`, when given, is `files[i]` already parsed (see parseSourcesInParallel).
 */
export function buildBaseTree(
  root: string,
  files: readonly InputFile[],
  head: ValidationResult,
  checkSchema: SchemaChecker,
  parsed?: ReadonlyArray<ParseResult | undefined>,
): AccessTree {
  const headByPath = new Map(head.sources.map((s) => [s.path, s]));
  const validInHead = new Set<SourceFile>();
  if (head.tree.policy) validInHead.add(head.tree.policy.source);
  for (const index of [head.tree.people, head.tree.systems, head.tree.orgs])
    for (const entity of index.values()) validInHead.add(entity.source);

  const valid: SourceFile[] = [];
  const broken: SourceFile[] = [];
  for (const [index, file] of files.entries()) {
    if ('problem' in file) continue;
    const same = headByPath.get(file.path);
    if (same && validInHead.has(same) && textOf(file.content) === same.text) {
      valid.push(same);
      continue;
    }
    const source = (parsed?.[index] ?? parseSource(file.path, file.content)).source;
    if (!source) continue;
    (checkSchema(source).length === 0 ? valid : broken).push(source);
  }
  const { tree } = buildAccessTree(root, valid);
  for (const source of broken) markBroken(tree, source);
  return tree;
}

function textOf(content: Uint8Array | string): string {
  return typeof content === 'string' ? content : new TextDecoder().decode(content);
}
