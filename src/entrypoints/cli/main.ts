import { ApprovalHoldError, AuditLogError, ConfigError, DirectoryError, InputError, UsageError } from '../../errors.js';
import { EXIT, processIO } from './cli-io.js';
import type { CliIO } from './cli-io.js';

type Command = { summary: string; run: (args: string[], io: CliIO) => Promise<number> };

// Each command is imported only when used, so `aac validate` never loads LDAP or GitHub clients.
const COMMANDS: Record<string, Command> = {
  validate: {
    summary: 'check the access files: schemas and cross-file rules',
    run: async (args, io) => (await import('./validate-command.js')).runValidate(args, io),
  },
  plan: {
    summary: 'show what apply would change in the directory',
    run: async (args, io) => (await import('./plan-command.js')).runPlan(args, io),
  },
  apply: {
    summary: 'make the directory match the access files, and record the run',
    run: async (args, io) => (await import('./apply-command.js')).runApply(args, io),
  },
  adopt: {
    summary: 'write person files (or reconcile.unmanaged entries) for what the directory holds undeclared',
    run: async (args, io) => (await import('./adopt-command.js')).runAdopt(args, io),
  },
  evaluate: {
    summary: 'judge a pull request: changes, tiers and whose approval is still missing',
    run: async (args, io) => (await import('./evaluate-command.js')).runEvaluate(args, io),
  },
  codeowners: {
    summary: 'write .github/CODEOWNERS from the policy and systems (--check: fail if stale)',
    run: async (args, io) => (await import('./codeowners-command.js')).runCodeowners(args, io),
  },
  audit: {
    summary: 'verify signatures and the audit log; reports and evidence for auditors',
    run: async (args, io) => (await import('./audit-command.js')).runAudit(args, io),
  },
  init: {
    summary: 'create an access repository: policy, examples, pinned workflows, request form',
    run: async (args, io) => (await import('./init-command.js')).runInit(args, io),
  },
  approvals: {
    summary: 'in GitHub Actions: the access-approvals check of this pull request event, without the app',
    run: async (args, io) => (await import('./approvals-command.js')).runApprovals(args, io),
  },
  serve: {
    summary: 'run the approval app (a GitHub App server from app.yml)',
    run: async (args, io) => (await import('./serve-command.js')).runServe(args, io),
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: aac <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`aac <command> --help\` for a command's options.\n`;
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`aac ${(await import('../../adapters/fs/read-package-info.js')).readPackageInfo().version}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`aac: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    return reportError(error, name, io);
  }
}

function reportError(error: unknown, command: string, io: CliIO): number {
  if (error instanceof UsageError || isParseArgsError(error)) {
    io.stderr(`aac ${command}: ${(error as Error).message}\nRun \`aac ${command} --help\` for usage.\n`);
    return EXIT.usage;
  }
  if (error instanceof InputError || error instanceof ConfigError || error instanceof AuditLogError) {
    io.stderr(`aac ${command}: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof ApprovalHoldError) {
    io.stderr(`aac ${command}: approval check (${error.code}): ${error.message}\nNothing was written.\n`);
    return EXIT.failed;
  }
  if (error instanceof DirectoryError) {
    io.stderr(`aac ${command}: directory error (${error.code}): ${error.message}\nNothing was written.\n`);
    return EXIT.failed;
  }
  io.stderr(
    `aac ${command}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.internal;
}

// node:util parseArgs throws TypeErrors with these codes for unknown or malformed options.
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
