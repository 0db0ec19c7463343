import { processEnvironment } from '../../config.js';

/** Where a command writes. Tests pass their own to capture everything a run prints. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (colours). */
  isTTY: boolean;
  /** Whether stderr is a terminal (progress lines, coloured errors). Default false. */
  isStderrTTY?: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Standard input and output when both are a terminal: interactive prompts (aac request) need them. */
  terminal?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream };
}

export function processIO(): CliIO {
  // A reader that goes away (`aac audit report --format csv | head`) is not an error: stop
  // quietly with the command's exit status, as git does, instead of an EPIPE stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    isStderrTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
    env: processEnvironment(),
    ...(process.stdin.isTTY && process.stdout.isTTY
      ? { terminal: { input: process.stdin, output: process.stdout } }
      : {}),
  };
}

/**
 * Exit codes shared by every command. `changes` is `aac plan --exit-code` with changes pending
 * (Terraform's -detailed-exitcode), and under that flag every error is `failed`, never 2.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, changes: 2, internal: 70 } as const;
