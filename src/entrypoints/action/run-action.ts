import { readFileSync } from 'node:fs';
import { Probot } from 'probot';
import type { Options } from 'probot';
import { createApprovalOctokit } from '../../adapters/github/approval-octokit.js';
import { parseTeamMembers } from '../../core/policy/team-members.js';
import type { TeamMembers } from '../../core/policy/team-members.js';
import { ConfigError } from '../../errors.js';
import { createApprovalApp } from '../app/approval-app.js';
import type { AuditLogFactory } from '../app/approval-app.js';
import { createAuditLogFor } from '../app/create-audit-log-for.js';

/** What the workflow provides, read from its environment. */
export interface ActionConfig {
  token: string;
  eventName: string;
  eventPath: string;
  /** Delivery id for logs: the run id and attempt. */
  id: string;
  /** GITHUB_API_URL, for GitHub Enterprise Server. */
  baseUrl: string;
  accessDir: string;
  /** A JSON file `{"org/team": [logins]}`: the workflow token cannot read organization teams. */
  teamsFile?: string;
}

/** Reads the Actions environment; the only place this entry point looks at it. */
export function readActionConfig(env: NodeJS.ProcessEnv = process.env): ActionConfig {
  const need = (name: string): string => {
    const value = env[name];
    if (!value)
      throw new ConfigError(
        `${name} is not set; run this in a GitHub Actions workflow (see .github/workflows/access-approvals.yml)`,
      );
    return value;
  };
  return {
    token: need('GITHUB_TOKEN'),
    eventName: need('GITHUB_EVENT_NAME'),
    eventPath: need('GITHUB_EVENT_PATH'),
    id: `${env['GITHUB_RUN_ID'] ?? 'local'}-${env['GITHUB_RUN_ATTEMPT'] ?? '1'}`,
    baseUrl: env['GITHUB_API_URL'] ?? 'https://api.github.com',
    accessDir: env['AAC_ACCESS_DIR'] ?? 'access',
    ...(env['AAC_TEAMS_FILE'] ? { teamsFile: env['AAC_TEAMS_FILE'] } : {}),
  };
}

export interface RunActionOptions {
  /** Probot options for tests (Octokit class without retries, a silent logger). */
  probot?: Partial<Options>;
  auditLog?: AuditLogFactory;
  now?: () => number;
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
  const probot = new Probot({
    githubToken: config.token,
    baseUrl: config.baseUrl,
    Octokit: createApprovalOctokit(),
    ...options.probot,
  });
  await probot.load(
    createApprovalApp({
      auditLog: options.auditLog ?? createAuditLogFor(process.env),
      accessDir: config.accessDir,
      ...(teams ? { teams } : {}),
      ...(options.now ? { now: options.now } : {}),
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
  runAction(readActionConfig()).catch((error: unknown) => {
    process.stderr.write(`aac action: ${error instanceof Error ? `${error.name}: ${error.message}` : 'failed'}\n`);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  });
}
