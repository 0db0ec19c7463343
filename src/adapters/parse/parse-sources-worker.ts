import { workerData, parentPort } from 'node:worker_threads';
import { parseSource } from '../../core/source.js';
import type { Kind } from '../../core/source.js';
import type { Diagnostic } from '../../core/diagnostics.js';

/** What parseSourcesInParallel hands its worker: the files as one shared buffer and the shared chunk counter. */
export interface ParseWork {
  paths: string[];
  /** Files that could not be read (nothing to parse). */
  skip: boolean[];
  bytes: Uint8Array;
  /** File i is bytes[offsets[i], offsets[i + 1]). */
  offsets: Int32Array;
  next: Int32Array;
  chunk: number;
}

/** A parse result as plain data (a SourceFile is rebuilt from it on the other side). */
export interface ParsedFile {
  diagnostics: Diagnostic[];
  source?: { path: string; text: string; value: Record<string, unknown>; kind: Kind };
}

/** The worker's share: index of the file and its result. */
export type ParsedShare = Array<[number, ParsedFile]>;

// Runs in the worker thread: take chunks from the shared counter until none is left, then send
// every result back in one message.
if (parentPort && workerData) {
  const work = workerData as ParseWork;
  const share: ParsedShare = [];
  const n = work.paths.length;
  for (let start = Atomics.add(work.next, 0, work.chunk); start < n; start = Atomics.add(work.next, 0, work.chunk)) {
    for (let i = start; i < Math.min(start + work.chunk, n); i++) {
      if (work.skip[i]) continue;
      // A private copy: parseSource decodes with TextDecoder, which does not take shared memory.
      const parsed = parseSource(work.paths[i]!, work.bytes.slice(work.offsets[i]!, work.offsets[i + 1]!));
      const source = parsed.source;
      share.push([
        i,
        source
          ? {
              diagnostics: parsed.diagnostics,
              source: { path: source.path, text: source.text, value: source.value, kind: source.kind },
            }
          : { diagnostics: parsed.diagnostics },
      ]);
    }
  }
  parentPort.postMessage(share);
}
