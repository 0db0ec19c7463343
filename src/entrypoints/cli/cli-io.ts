/** Where a command writes. Tests pass their own to capture everything a run prints. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (colours, progress). */
  isTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
    env: process.env,
  };
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 70 } as const;
