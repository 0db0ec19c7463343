import { ApprovalHoldError, AuditLogError, ConfigError, DirectoryError, InputError, UsageError } from '../../errors.js';
import { EXIT, processIO } from './cli-io.js';
import { createStyle } from './style.js';
import { flagsOf, suggest } from './suggest.js';
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
  request: {
    summary: 'ask for access: a wizard (or flags) that edits the files, commits and opens the pull request',
    run: async (args, io) => (await import('./request-command.js')).runRequest(args, io),
  },
  init: {
    summary: 'create an access repository: policy, examples, pinned workflows, request form',
    run: async (args, io) => (await import('./init-command.js')).runInit(args, io),
  },
  approvals: {
    summary: 'in GitHub Actions: the access-approvals check of this pull request event, without the app',
    run: async (args, io) => (await import('./approvals-command.js')).runApprovals(args, io),
  },
  completion: {
    summary: 'print a shell completion script: aac completion bash|zsh|fish',
    run: async (args, io) => (await import('./completion-command.js')).runCompletion(args, io),
  },
  serve: {
    summary: 'run the approval app (a GitHub App server from app.yml)',
    run: async (args, io) => (await import('./serve-command.js')).runServe(args, io),
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: aac <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`aac <command> --help\` for a command's options, \`aac --version\` for the version.\n`;
}

/** The names of the commands, for completion and "did you mean". */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

/** Each command's one-line summary, for completion. */
export function commandSummaries(): Array<{ name: string; summary: string }> {
  return Object.entries(COMMANDS).map(([name, c]) => ({ name, summary: c.summary }));
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' && args.length > 0) return main([...args, '--help'], io);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`aac ${(await import('../../adapters/fs/read-package-info.js')).readPackageInfo().version}\n`);
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    const close = suggest(name, COMMAND_NAMES);
    const hint = close ? `Did you mean \`aac ${close}\`?\n` : `\n${usage()}`;
    io.stderr(`${createStyle(io, 'stderr').red('aac:')} unknown command "${name}". ${hint}`);
    return EXIT.usage;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    const code = await reportError(error, name, args, io);
    return detailedExitCode(name, args) ? EXIT.failed : code;
  }
}

/**
 * Whether this is `aac plan --exit-code`, Terraform's `-detailed-exitcode`: 0 no changes, 2
 * changes pending, 1 any error. Usage and configuration errors, 2 elsewhere, are 1 there, so that
 * 2 can only mean "changes" to a pipeline (the command itself returns 2 only for changes).
 */
function detailedExitCode(name: string, args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return name === 'plan' && (end < 0 ? args : args.slice(0, end)).includes('--exit-code');
}

async function reportError(error: unknown, command: string, args: readonly string[], io: CliIO): Promise<number> {
  const style = createStyle(io, 'stderr');
  const prefix = style.red(`aac ${command}:`);
  if (error instanceof UsageError || isParseArgsError(error)) {
    const hint = isParseArgsError(error) ? await flagHint(error as Error, command, args) : '';
    io.stderr(`${prefix} ${(error as Error).message}\n${hint}Run \`aac ${command} --help\` for usage.\n`);
    return EXIT.usage;
  }
  if (error instanceof InputError || error instanceof ConfigError || error instanceof AuditLogError) {
    io.stderr(`${prefix} ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof ApprovalHoldError) {
    io.stderr(`aac ${command}: approval check (${error.code}): ${error.message}\nNothing was written.\n`);
    return EXIT.failed;
  }
  if (error instanceof DirectoryError) {
    io.stderr(`${prefix} directory error (${error.code}): ${error.message}\nNothing was written.\n`);
    return EXIT.failed;
  }
  io.stderr(`${prefix} internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.internal;
}

/** "Did you mean --exit-code?" for an unknown option, from the flags the command's help lists. */
async function flagHint(error: Error, command: string, args: readonly string[]): Promise<string> {
  const unknown = /Unknown option '(--?[^']+)'/.exec(error.message)?.[1];
  if (unknown === undefined || !unknown.startsWith('--')) return '';
  const path =
    command === 'audit' && args[0] !== undefined && !args[0].startsWith('-') ? [command, args[0]] : [command];
  const close = suggest(unknown, flagsOf(await helpOf(path)));
  return close ? `Did you mean ${close}?\n` : '';
}

/** The help text of `aac PATH... --help`, captured: the one list of a command's flags. */
export async function helpOf(path: readonly string[]): Promise<string> {
  let text = '';
  const capture: CliIO = { stdout: (t) => void (text += t), stderr: () => undefined, isTTY: false, cwd: '/', env: {} };
  const command = COMMANDS[path[0]!];
  if (command) await command.run([...path.slice(1), '--help'], capture);
  return text;
}

// node:util parseArgs throws TypeErrors with these codes for unknown or malformed options.
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
