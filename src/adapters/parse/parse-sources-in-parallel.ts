import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseSource, SourceFile } from '../../core/source.js';
import type { ParseResult } from '../../core/source.js';
import type { InputFile } from '../../core/validate/validate-access-tree.js';
import type { ParsedShare, ParseWork } from './parse-sources-worker.js';

export interface ParseInParallelOptions {
  /** Below this many files, parse on the calling thread only; default MIN_FILES_FOR_WORKER. */
  minFiles?: number;
  /** Called with the files taken so far (a multiple of 500, from 0), for a progress line. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Files (indices) whose positions will be asked for, e.g. a pull request's changed files: parsed
   * on this thread, first, keeping their syntax trees (a worker's cannot cross threads), so
   * locating a change does not parse the file a second time.
   */
  keepSyntax?: ReadonlySet<number>;
}

/** Fewer files than this are parsed on the calling thread: a worker takes ~40 ms to start and load the YAML parser. */
export const MIN_FILES_FOR_WORKER = 1000;
/** Files taken at a time by either thread from the shared counter. */
const CHUNK = 64;

/**
 * Parses access files (`parseSource` on each) on this thread and one worker thread at once,
 * each taking the next chunk of files from a shared counter until none is left, so the split
 * follows whichever thread is faster (the worker starts late). Returns `results[i]` for
 * `files[i]` (undefined where the file could not be read), exactly as `parseSource` gives them.
 *
 * Why: parsing YAML with positions is most of `aac validate`, `plan` and `apply` on a large
 * tree (bench/reconcile: ~80% of validation), and nothing else runs yet, so the second core
 * is idle. Small trees, one-core machines and a worker that cannot start parse here alone.
 */
export async function parseSourcesInParallel(
  files: readonly InputFile[],
  options: ParseInParallelOptions = {},
): Promise<Array<ParseResult | undefined>> {
  const results: Array<ParseResult | undefined> = new Array(files.length);
  const keep = options.keepSyntax ?? new Set<number>();
  const parseAt = (i: number): void => {
    const file = files[i]!;
    if (!('problem' in file)) results[i] = parseSource(file.path, file.content, { keepSyntax: keep.has(i) });
  };
  let reported = -1;
  // Files taken so far by either thread, rounded down to a multiple of 500.
  const progress = (taken: number): void => {
    const step = Math.floor(Math.min(taken, files.length) / 500) * 500;
    if (step > reported) options.onProgress?.((reported = step), files.length);
  };
  // Only bytes as read from disk: text from elsewhere (git) would be re-encoded, and decoding can differ from the text (a BOM, lone surrogates).
  const allBytes = files.every((f) => 'problem' in f || typeof f.content !== 'string');
  if (!allBytes || files.length < (options.minFiles ?? MIN_FILES_FOR_WORKER) || availableParallelism() < 2) {
    for (let i = 0; i < files.length; i++) {
      progress(i);
      parseAt(i);
    }
    return results;
  }

  const next = new Int32Array(new SharedArrayBuffer(4));
  const done = new Uint8Array(files.length); // 1 once results[i] is final, whoever parsed it
  const worker = startWorker(files, next, keep);
  // While the worker starts: the files whose syntax trees are kept, which only this thread can parse.
  for (const i of keep) {
    parseAt(i);
    done[i] = 1;
  }
  // This thread's share: chunks until the counter runs out (the worker takes chunks meanwhile).
  for (let start = Atomics.add(next, 0, CHUNK); start < files.length; start = Atomics.add(next, 0, CHUNK)) {
    progress(start);
    for (let i = start; i < Math.min(start + CHUNK, files.length); i++) {
      if (keep.has(i)) continue;
      parseAt(i);
      done[i] = 1;
    }
  }
  const share = await worker;
  for (const [i, parsed] of share) {
    results[i] = parsed.source
      ? {
          source: new SourceFile(parsed.source.path, parsed.source.text, parsed.source.value, parsed.source.kind),
          diagnostics: parsed.diagnostics,
        }
      : { diagnostics: parsed.diagnostics };
    done[i] = 1;
  }
  // Chunks the worker took but never returned (it failed): parsed here, so the result never depends on the worker.
  for (let i = 0; i < files.length; i++) if (done[i] === 0) parseAt(i);
  return results;
}

/** The worker's parsed files, or [] when it cannot start or fails (its chunks are then parsed by the caller). */
function startWorker(files: readonly InputFile[], next: Int32Array, keep: ReadonlySet<number>): Promise<ParsedShare> {
  // The files as one shared byte buffer, so handing them over copies nothing per file.
  const bytes = files.map((f) => ('problem' in f || typeof f.content === 'string' ? new Uint8Array(0) : f.content));
  const total = bytes.reduce((n, b) => n + b.byteLength, 0);
  const shared = new Uint8Array(new SharedArrayBuffer(total));
  const offsets = new Int32Array(files.length + 1);
  bytes.forEach((b, i) => {
    shared.set(b, offsets[i]!);
    offsets[i + 1] = offsets[i]! + b.byteLength;
  });
  const work: ParseWork = {
    paths: files.map((f) => f.path),
    skip: files.map((f, i) => 'problem' in f || keep.has(i)),
    bytes: shared,
    offsets,
    next,
    chunk: CHUNK,
  };
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./parse-sources-worker.js', import.meta.url), { workerData: work });
    } catch {
      resolve([]);
      return;
    }
    worker.once('message', (share: ParsedShare) => {
      resolve(share);
      void worker.terminate();
    });
    worker.once('error', () => resolve([]));
    worker.once('exit', () => resolve([]));
  });
}
