import type { ParseResult } from '../../core/source.js';

/** Default budget of the app's file cache: 128 MiB of estimated heap (AAC_APP_CACHE_MB). */
export const DEFAULT_CACHE_BYTES = 128 * 1024 * 1024;

/**
 * Estimated heap of one cached parse: the text and the parsed value come to about three times
 * the file's size (measured on the generated 10,000-person organisation: 2.7 KB for an
 * 880-byte file), plus the object headers; a syntax tree, when the parse holds one, about 20
 * times the size more (measured: 17 KB for the same file).
 */
export function parsedCost(size: number, withSyntax = false): number {
  return (withSyntax ? 23 : 3) * size + 512;
}

/** A blob's bytes as a Uint8Array, plus the entry. */
function blobCost(size: number): number {
  return size + 128;
}

type Entry = { kind: 'blob'; bytes: Uint8Array; cost: number } | { kind: 'parsed'; result: ParseResult; cost: number };

export interface FileCacheStats {
  entries: number;
  /** Estimated heap held, in bytes (never above `maxBytes`). */
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

/**
 * The app's memory of files between events: blob bytes by blob SHA (a blob's SHA names its
 * bytes, so they never go stale) and parse results by path and blob SHA (the path is part of
 * the result: diagnostics and the uid-matches-file-name rule name it). Least recently used
 * entries go first when the estimated heap would pass `maxBytes`, so memory is bounded whatever
 * the number of repositories and pull requests. A review event finds every file here and parses
 * nothing; a push parses only the files it changed. An evicted entry is only read or parsed
 * again: nothing depends on an entry staying.
 * @example const cache = new FileCache(64 * 1024 * 1024); cache.putBlob(sha, bytes); cache.blob(sha)
 */
export class FileCache {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  constructor(readonly maxBytes: number = DEFAULT_CACHE_BYTES) {}

  blob(sha: string): Uint8Array | undefined {
    const entry = this.#get(`b:${sha}`);
    return entry?.kind === 'blob' ? entry.bytes : undefined;
  }

  putBlob(sha: string, bytes: Uint8Array): void {
    this.#put(`b:${sha}`, { kind: 'blob', bytes, cost: blobCost(bytes.byteLength) });
  }

  parsed(path: string, sha: string): ParseResult | undefined {
    const entry = this.#get(`p:${sha}:${path}`);
    return entry?.kind === 'parsed' ? entry.result : undefined;
  }

  /**
   * Keeps a parse result, costed with its syntax tree if it holds one: what an evaluation needed
   * positions of (a pull request's changed files, files with errors) it will need again on the
   * next event of that pull request. Put results again after each use: a syntax tree built since
   * changes the cost.
   */
  putParsed(path: string, sha: string, size: number, result: ParseResult): void {
    this.#put(`p:${sha}:${path}`, {
      kind: 'parsed',
      result,
      cost: parsedCost(size, result.source?.hasSyntax ?? false),
    });
  }

  stats(): FileCacheStats {
    return {
      entries: this.#entries.size,
      bytes: this.#bytes,
      maxBytes: this.maxBytes,
      hits: this.#hits,
      misses: this.#misses,
      evictions: this.#evictions,
    };
  }

  #get(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    // Map keeps insertion order: moving the entry to the end makes the first entry the least recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  #put(key: string, entry: Entry): void {
    const old = this.#entries.get(key);
    if (old) {
      this.#bytes -= old.cost;
      this.#entries.delete(key);
    }
    if (entry.cost > this.maxBytes) return; // never kept: it would evict everything else
    this.#entries.set(key, entry);
    this.#bytes += entry.cost;
    for (const [oldest, e] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= e.cost;
      this.#evictions++;
    }
  }
}
