import { UsageError } from '../../errors.js';
import { EXIT } from './cli-io.js';
import type { CliIO } from './cli-io.js';

type Sub = { summary: string; run: (args: string[], io: CliIO) => Promise<number> };

// Loaded on use, like the top-level commands: `aac audit verify` never loads Handlebars.
const SUBCOMMANDS: Record<string, Sub> = {
  verify: {
    summary: 'signed commits and an intact audit log; exit 1 on any failure',
    run: async (a, io) => (await import('./audit-verify-command.js')).runAuditVerify(a, io),
  },
  person: {
    summary: 'one person: requests, approvals, merges, applies, revocations',
    run: async (a, io) => (await import('./audit-report-command.js')).runAuditReport('person', a, io),
  },
  system: {
    summary: 'one system: who was given or lost which role, when, approved by whom',
    run: async (a, io) => (await import('./audit-report-command.js')).runAuditReport('system', a, io),
  },
  report: {
    summary: 'every request in a period, with time to provision per tier',
    run: async (a, io) => (await import('./audit-report-command.js')).runAuditReport('report', a, io),
  },
  access: {
    summary: 'who has what now: access matrix, privileged access, external users',
    run: async (a, io) => (await import('./audit-access-command.js')).runAuditAccess(a, io),
  },
  evidence: {
    summary: 'NIST SP 800-171 evidence files, one per control',
    run: async (a, io) => (await import('./audit-evidence-command.js')).runAuditEvidence(a, io),
  },
};

/** The subcommands and their summaries, for completion. */
export const AUDIT_SUBCOMMANDS: ReadonlyArray<{ name: string; summary: string }> = Object.entries(SUBCOMMANDS).map(
  ([name, sub]) => ({ name, summary: sub.summary }),
);

export const AUDIT_HELP = `Usage: aac audit <subcommand> [options]

${Object.entries(SUBCOMMANDS)
  .map(([name, s]) => `  ${name.padEnd(10)}${s.summary}`)
  .join('\n')}

Run \`aac audit <subcommand> --help\` for its options.
`;

/** `aac audit ...`: dispatches to a subcommand. */
export async function runAudit(args: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h') {
    io.stdout(AUDIT_HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const sub = SUBCOMMANDS[name];
  if (!sub) throw new UsageError(`unknown subcommand "${name}"; one of ${Object.keys(SUBCOMMANDS).join(', ')}`);
  return sub.run(rest, io);
}
