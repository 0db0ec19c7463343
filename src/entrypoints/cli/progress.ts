import type { CliIO } from './cli-io.js';

export interface Progress {
  update: (done: number, total: number) => void;
  /** Clears the progress line. */
  done: () => void;
}

/** Whether progress may be drawn: only when stderr is a terminal, never in CI logs or pipes. */
function onTerminal(io: CliIO): boolean {
  return io.isStderrTTY ?? io.isTTY;
}

/**
 * A one-line progress counter on stderr (`applying 4200/10000 (42%)`), shown only on a terminal
 * and only for work big enough to notice (at least `min` items, default 1,000); redrawn when the
 * percentage changes, so 10,000 items cost about 100 writes.
 */
export function createProgress(io: CliIO, label: string, options: { min?: number } = {}): Progress {
  let shown = false;
  let lastPercent = -1;
  const min = options.min ?? 1000;
  return {
    update: (done, total) => {
      if (!onTerminal(io) || total < min) return;
      const percent = Math.floor((done / total) * 100);
      if (percent === lastPercent && done !== total) return;
      lastPercent = percent;
      shown = true;
      io.stderr(`\r\u001b[2K${label} ${done}/${total} (${percent}%)`);
    },
    done: () => {
      if (shown) io.stderr('\r\u001b[2K');
      shown = false;
      lastPercent = -1;
    },
  };
}

export interface Status {
  /** Replaces the status line with what the command is doing now. */
  step: (text: string) => void;
  /** Clears it. */
  done: () => void;
}

/**
 * A status line on stderr for long work that has stages rather than a count (`audit evidence`:
 * reading history, verifying signatures, writing files), on a terminal only.
 */
export function createStatus(io: CliIO, label: string): Status {
  let shown = false;
  return {
    step: (text) => {
      if (!onTerminal(io)) return;
      shown = true;
      io.stderr(`\r\u001b[2K${label}: ${text}...`);
    },
    done: () => {
      if (shown) io.stderr('\r\u001b[2K');
      shown = false;
    },
  };
}
