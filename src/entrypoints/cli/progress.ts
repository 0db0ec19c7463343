import type { CliIO } from './cli-io.js';

export interface Progress {
  update: (done: number, total: number) => void;
  /** Clears the progress line. */
  done: () => void;
}

/**
 * A one-line progress counter on stderr, shown only on a terminal and only for work big
 * enough to notice (more than 1,000 items); silent in CI logs and pipes.
 */
export function createProgress(io: CliIO, label: string): Progress {
  let shown = false;
  return {
    update: (done, total) => {
      if (!io.isTTY || total < 1000) return;
      shown = true;
      io.stderr(`\r${label} ${done}/${total}`);
    },
    done: () => {
      if (shown) io.stderr('\r\u001b[2K');
      shown = false;
    },
  };
}
