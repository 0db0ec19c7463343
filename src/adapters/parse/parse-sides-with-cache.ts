import type { PullRequestSide } from '../../core/policy/evaluate-pull-request.js';
import type { ParseResult } from '../../core/source.js';
import type { InputFile } from '../../core/validate/validate-access-tree.js';
import type { FileCache } from '../github/file-cache.js';
import type { ParsedSides } from './parse-sides-in-parallel.js';
import { parseSourcesInParallel } from './parse-sources-in-parallel.js';

export interface CachedParse {
  parsed: ParsedSides;
  /** Files parsed now (not found in the cache): 0 on a review event, the changed files on a push. */
  parsedNow: number;
  /** Puts every parse used back in the cache (new ones, and old ones whose syntax tree was built since). Call after evaluating. */
  remember: () => void;
}

/**
 * Both sides' parse results, from `cache` where the same file (path and blob SHA, from the side's
 * `blobs`) was parsed before, the rest parsed now (on two threads when there are many, as
 * `aac evaluate` does). A base file whose blob is head's at the same path gets head's parse.
 * The result is what parsing everything would give:
 * a parse is a function of the path and the bytes, and the blob SHA names the bytes.
 */
export async function parseSidesWithCache(
  base: PullRequestSide,
  head: PullRequestSide,
  cache: FileCache,
): Promise<CachedParse> {
  const shaOf = (side: PullRequestSide, path: string): string | undefined => side.blobs.get(path)?.split(' ')[1];
  const parsed: ParsedSides = { head: new Array(head.files.length), base: new Array(base.files.length) };
  const used: Array<{ path: string; sha: string; size: number; result: () => ParseResult | undefined }> = [];
  const todo: InputFile[] = [];
  const put: Array<(result: ParseResult | undefined) => void> = [];
  const keepSyntax = new Set<number>();
  const headIndex = new Map(head.files.map((f, i) => [f.path, i]));
  const sameAsHead: Array<[number, number]> = [];
  const visit = (
    side: PullRequestSide,
    other: PullRequestSide,
    into: Array<ParseResult | undefined>,
    isBase: boolean,
  ) =>
    side.files.forEach((file, i) => {
      if (!('content' in file)) return;
      const sha = shaOf(side, file.path);
      if (sha === undefined) return; // not named by the tree: parsed by the evaluation, never cached
      const otherSha = shaOf(other, file.path);
      if (isBase && otherSha === sha) {
        // The same bytes at the same path: head's parse is this file's parse.
        sameAsHead.push([i, headIndex.get(file.path)!]);
        return;
      }
      const size = typeof file.content === 'string' ? file.content.length : file.content.byteLength;
      used.push({ path: file.path, sha, size, result: () => into[i] });
      const known = cache.parsed(file.path, sha);
      if (known) {
        into[i] = known;
        return;
      }
      // A file that differs between the sides holds a change: its positions will be asked.
      if (otherSha !== sha) keepSyntax.add(todo.length);
      todo.push(file);
      put.push((result) => (into[i] = result));
    });
  visit(head, base, parsed.head, false);
  visit(base, head, parsed.base, true);
  const results = await parseSourcesInParallel(todo, { keepSyntax });
  results.forEach((result, k) => put[k]!(result));
  for (const [b, h] of sameAsHead) parsed.base[b] = parsed.head[h];
  return {
    parsed,
    parsedNow: todo.length,
    remember: () => {
      for (const u of used) {
        const result = u.result();
        if (result) cache.putParsed(u.path, u.sha, u.size, result);
      }
    },
  };
}
