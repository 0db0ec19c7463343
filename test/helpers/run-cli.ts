import { main } from '../../src/entrypoints/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aac ARGS` in-process with captured output. */
export async function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; isTTY?: boolean },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: options.isTTY ?? false,
    cwd: options.cwd,
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}
