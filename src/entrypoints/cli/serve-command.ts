import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.js';
import { EXIT } from './cli-io.js';
import type { CliIO } from './cli-io.js';

export const SERVE_HELP = `Usage: aac serve

Runs the approval app as a GitHub App server: webhooks on POST /api/github/webhooks (a payload
whose signature does not match WEBHOOK_SECRET gets 400), GET /healthz answers ok. Register the
app from the package's app.yml first (see the README, "Deploy the approval app").

Environment: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET (required); PORT (default
3000), HOST, LOG_LEVEL, GHE_HOST; AAC_ACCESS_DIR (default access), AAC_AUDIT_BRANCH (default
access-audit); the AAC_LDAP_* settings to show the directory plan on pull requests.

Stops on SIGINT or SIGTERM. Exit status: 0 stopped by a signal, 2 configuration error.
`;

/** Starts the server and resolves when a signal stops it. */
export async function runServe(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(SERVE_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError('serve takes no arguments');
  const { main } = await import('../app/main.js');
  const running = await main(io.env);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.close();
  return EXIT.ok;
}
