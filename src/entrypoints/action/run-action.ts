import { readFileSync } from 'node:fs';
import { Probot } from 'probot';
import type { Options } from 'probot';
import { createApprovalOctokit } from '../../adapters/github/approval-octokit.js';
import { parseTeamMembers } from '../../core/policy/team-members.js';
import type { TeamMembers } from '../../core/policy/team-members.js';
import { processEnvironment, readActionConfig } from '../../config.js';
import type { ActionConfig } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { createApprovalApp } from '../app/approval-app.js';
import type { AuditLogFactory } from '../app/approval-app.js';
import { createAuditLogFor } from '../app/create-audit-log-for.js';
import { createNotifierFor } from '../app/create-notifier-for.js';
import type { RequestNotifier } from '../../core/notify/request-notifier.js';

export interface RunActionOptions {
  /** Probot options for tests (Octokit class without retries, a silent logger). */
  probot?: Partial<Options>;
  auditLog?: AuditLogFactory;
  now?: () => number;
  /** Mails rejection notices (from AAC_SMTP_URL when run as a program). */
  notifier?: RequestNotifier;
}

/**
 * Runs the approval app's handler once, on the workflow's event, with the workflow token:
 * Probot 14 directly (no adapter package). `pull_request_target` is delivered as `pull_request`
 * (same payload): the workflow uses it so the evaluator runs from the base branch.
 */
export async function runAction(config: ActionConfig, options: RunActionOptions = {}): Promise<void> {
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(config.eventPath, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the event payload ${config.eventPath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const teams = config.teamsFile ? readTeamsFile(config.teamsFile) : undefined;
  const notifier = options.notifier;
  const probot = new Probot({
    githubToken: config.token,
    baseUrl: config.baseUrl,
    Octokit: createApprovalOctokit(),
    ...options.probot,
  });
  await probot.load(
    createApprovalApp({
      auditLog: options.auditLog ?? createAuditLogFor(config),
      accessDir: config.accessDir,
      ...(teams ? { teams } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(notifier ? { notifier } : {}),
    }),
  );
  const name = config.eventName === 'pull_request_target' ? 'pull_request' : config.eventName;
  await probot.receive({ id: config.id, name: name as 'pull_request', payload: payload as never });
}

function readTeamsFile(path: string): TeamMembers {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`AAC_TEAMS_FILE ${path} is not readable JSON: ${(error as Error).message}`, { cause: error });
  }
  const teams = parseTeamMembers(value);
  if (!teams) throw new ConfigError(`AAC_TEAMS_FILE ${path} must be {"org/team": ["login", ...]}`);
  return teams;
}

// Run when started as a program by the workflow: `node dist/entrypoints/action/run-action.js`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const env = processEnvironment();
  Promise.resolve()
    .then(() => {
      const notifier = createNotifierFor(env);
      return runAction(readActionConfig(env), notifier ? { notifier } : {});
    })
    .catch((error: unknown) => {
      process.stderr.write(`aac action: ${error instanceof Error ? `${error.name}: ${error.message}` : 'failed'}\n`);
      process.exitCode = error instanceof ConfigError ? 2 : 1;
    });
}
