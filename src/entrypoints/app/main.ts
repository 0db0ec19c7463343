import { createProbot } from 'probot';
import { createApprovalOctokit } from '../../adapters/github/approval-octokit.js';
import { FileCache } from '../../adapters/github/file-cache.js';
import { ConfigError } from '../../errors.js';
import { loadConfig, processEnvironment, readAppSettings } from '../../config.js';
import { createDirectoryPlanProvider } from './create-directory-plan-provider.js';
import { openDirectory } from '../../services/reconcile/open-directory.js';
import { createApprovalApp } from './approval-app.js';
import type { PlanProvider } from './evaluate-and-report.js';
import { createAuditLogFor } from './create-audit-log-for.js';
import { startAppServer } from './start-app-server.js';
import type { RunningServer } from './start-app-server.js';

/**
 * The GitHub App server. Configuration comes from the environment, as Probot reads it:
 * APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET, and optionally PORT (default 3000),
 * HOST, LOG_LEVEL, GHE_HOST; AAC_ACCESS_DIR (default `access`), AAC_AUDIT_BRANCH and
 * AAC_APP_CACHE_MB (default 128) for aac;
 * the AAC_LDAP_* settings (see src/config.ts) to show the directory plan on pull requests.
 */
export async function main(env: NodeJS.ProcessEnv = processEnvironment()): Promise<RunningServer> {
  const settings = readAppSettings(env);
  const probot = createProbot({ env, overrides: { Octokit: createApprovalOctokit() } });
  const plan = createPlanProviderFor(env);
  const app = createApprovalApp({
    auditLog: createAuditLogFor(settings),
    accessDir: settings.accessDir,
    cache: new FileCache(settings.cacheMb * 1024 * 1024),
    ...(plan ? { plan } : {}),
  });
  const running = await startAppServer({
    probot,
    app,
    port: settings.port,
    ...(settings.host ? { host: settings.host } : {}),
  });
  probot.log.info(`aac approval app listening on ${running.url}`);
  return running;
}

/** With AAC_LDAP_URL set, the pull-request comment shows the directory plan (read-only: the app never writes). */
function createPlanProviderFor(env: NodeJS.ProcessEnv): PlanProvider | undefined {
  const config = loadConfig(env);
  if (!config.ldap) return undefined;
  const baseDn = config.ldap.baseDn;
  return createDirectoryPlanProvider({
    openDirectory: (layout) => openDirectory(undefined, layout, config, process.cwd()),
    now: Date.now,
    ...(baseDn ? { baseDnOverride: baseDn } : {}),
  });
}

// Run when started as a program (node dist/entrypoints/app/main.js), not when imported.
if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    // Only our message: a Probot or Octokit error could echo configuration.
    process.stderr.write(
      `aac app: ${error instanceof Error ? `${error.name}: ${error.message}` : 'failed to start'}\n`,
    );
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  });
}
