import type { PullRequestSide } from '../../core/policy/evaluate-pull-request.js';
import type { ParseResult } from '../../core/source.js';
import type { InputFile } from '../../core/validate/validate-access-tree.js';
import { parseSourcesInParallel } from './parse-sources-in-parallel.js';
import type { ParseInParallelOptions } from './parse-sources-in-parallel.js';

export interface ParsedSides {
  /** `head[i]` is `head.files[i]` parsed. */
  head: Array<ParseResult | undefined>;
  /** `base[i]` is `base.files[i]` parsed, or undefined where head has the same bytes at the same path. */
  base: Array<ParseResult | undefined>;
}

/**
 * Parses both sides of a pull request in one `parseSourcesInParallel` run: every head file, and
 * the base files whose bytes differ from head's file at the same path (the evaluation reuses
 * head's parse for the others). One worker, one pass, whatever the number of changed files.
 * @example evaluatePullRequest({ ..., parsed: await parseSidesInParallel(base, head) })
 */
export async function parseSidesInParallel(
  base: PullRequestSide,
  head: PullRequestSide,
  options: ParseInParallelOptions = {},
): Promise<ParsedSides> {
  const contentAt = (side: PullRequestSide): Map<string, Uint8Array | string> =>
    new Map(side.files.flatMap((f) => ('content' in f ? [[f.path, f.content] as const] : [])));
  const headContent = contentAt(head);
  const baseContent = contentAt(base);
  const changed: number[] = [];
  base.files.forEach((file, i) => {
    if ('content' in file && !sameContent(headContent.get(file.path), file.content)) changed.push(i);
  });
  // The changes are located in these files (head's side of a change, base's for a removal).
  const keepSyntax = new Set<number>();
  head.files.forEach((file, i) => {
    if ('content' in file && !sameContent(baseContent.get(file.path), file.content)) keepSyntax.add(i);
  });
  changed.forEach((_, k) => keepSyntax.add(head.files.length + k));
  const all: InputFile[] = [...head.files, ...changed.map((i) => base.files[i]!)];
  const results = await parseSourcesInParallel(all, {
    ...options,
    keepSyntax,
    // Progress counts head's files: that is the total the caller shows.
    onProgress: (done) => options.onProgress?.(Math.min(done, head.files.length), head.files.length),
  });
  const baseResults: Array<ParseResult | undefined> = new Array(base.files.length);
  changed.forEach((fileIndex, k) => (baseResults[fileIndex] = results[head.files.length + k]));
  return { head: results.slice(0, head.files.length), base: baseResults };
}

function sameContent(a: Uint8Array | string | undefined, b: Uint8Array | string): boolean {
  if (a === undefined) return false;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
