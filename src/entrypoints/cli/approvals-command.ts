import { parseArgs } from 'node:util';
import { readActionConfig } from '../../config.js';
import { ConfigError, UsageError } from '../../errors.js';
import { EXIT } from './cli-io.js';
import type { CliIO } from './cli-io.js';

export const APPROVALS_HELP = `Usage: aac approvals

The access-approvals check without the GitHub App: run in a GitHub Actions workflow on
pull_request_target or pull_request_review, it judges the event's pull request once, with the
workflow token, exactly as the app does (check run, comment, review requests, audit records).

Environment (set by Actions): GITHUB_TOKEN, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_API_URL;
AAC_ACCESS_DIR (default access); AAC_TEAMS_FILE, a {"org/team": ["login", ...]} file, since the
workflow token cannot read organization teams.

Exit status: 0 judged (whatever the verdict: the check run carries it), 1 the evaluation failed,
2 configuration error.
`;

export async function runApprovals(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(APPROVALS_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError('approvals takes no arguments');
  const { runAction } = await import('../action/run-action.js');
  const config = readActionConfig(io.env);
  try {
    await runAction(config);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // Only our message: a Probot or Octokit error could echo request details.
    io.stderr(`aac approvals: ${error instanceof Error ? `${error.name}: ${error.message}` : 'failed'}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
