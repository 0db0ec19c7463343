import { statSync } from 'node:fs';
import { readCliSettings } from '../../config.js';
import { resolve } from 'node:path';
import { locateAuditBranch } from '../../adapters/git/locate-audit-branch.js';
import { resolveCommit } from '../../adapters/git/run-git.js';
import type { AuditBranchLocation } from '../../adapters/git/locate-audit-branch.js';
import { findRepositoryRoot } from '../../adapters/git/run-git.js';
import type { SignatureTrust } from '../../adapters/git/read-git-history.js';
import { InputError, UsageError } from '../../errors.js';
import type { CliIO } from './cli-io.js';

/** Options every `aac audit` subcommand takes, for `parseArgs`. */
export const AUDIT_OPTIONS = {
  repo: { type: 'string' },
  branch: { type: 'string', default: 'main' },
  'audit-branch': { type: 'string' },
  'allowed-signers': { type: 'string' },
  'gnupg-home': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const AUDIT_OPTIONS_HELP = `  --repo DIR               the access repository (default: the one containing the current folder)
  --branch NAME            the branch holding the desired state (default: main)
  --audit-branch NAME      the audit log's branch (default: access-audit): the local branch, else
                           origin/NAME (a fresh clone), else NAME as a revision; unknown is an error
  --allowed-signers FILE   SSH allowed-signers file trusted for commit signatures (default: git config gpg.ssh.allowedSignersFile)
  --gnupg-home DIR         GPG home with the trusted keyring, including GitHub's web-flow key (default: GNUPGHOME)
`;

export interface AuditContext extends SignatureTrust {
  repoDir: string;
  branch: string;
  /** The revision the audit log is read from (`refs/heads/access-audit`, `refs/remotes/origin/access-audit`). */
  auditBranch: string;
  /** Where it was found; undefined when no audit log exists yet under the default name. */
  audit: AuditBranchLocation | undefined;
}

type AuditValues = {
  repo?: string;
  branch?: string;
  'audit-branch'?: string;
  'allowed-signers'?: string;
  'gnupg-home'?: string;
};

/** The common options resolved without touching git: `start` is where to look for the repository. */
export function auditSettings(
  values: AuditValues,
  io: CliIO,
): Omit<AuditContext, 'repoDir' | 'audit'> & { start: string } {
  const gnupgHome = values['gnupg-home'] ?? readCliSettings(io.env).gnupgHome;
  return {
    start: resolve(io.cwd, values.repo ?? '.'),
    branch: values.branch ?? 'main',
    auditBranch: values['audit-branch'] ?? 'access-audit',
    ...(values['allowed-signers'] ? { allowedSignersFile: resolve(io.cwd, values['allowed-signers']) } : {}),
    ...(gnupgHome ? { gnupgHome: resolve(io.cwd, gnupgHome) } : {}),
  };
}

/**
 * Resolves the common options into the repository and trust to read with, refusing what does
 * not exist (exit 2): a branch, an audit branch named by the user, an allowed-signers file or a
 * GnuPG home. A trust root that silently does not exist would make every signature read "unsigned"
 * or, worse, make a report look checked when it was not. Says on stderr where the log was found
 * when it is not the local branch.
 */
export async function auditContext(values: AuditValues, io: CliIO, command = 'audit'): Promise<AuditContext> {
  const { start, ...settings } = auditSettings(values, io);
  const repoDir = await findRepositoryRoot(start);
  if (repoDir === undefined) throw new InputError(`${start} is not in a git repository`);
  if (settings.allowedSignersFile !== undefined && !isFile(settings.allowedSignersFile))
    throw new UsageError(`--allowed-signers ${settings.allowedSignersFile}: no such file`);
  if (settings.gnupgHome !== undefined && !isDirectory(settings.gnupgHome))
    throw new UsageError(
      `${values['gnupg-home'] !== undefined ? '--gnupg-home' : 'GNUPGHOME'} ${settings.gnupgHome}: no such directory`,
    );
  if ((await resolveCommit(repoDir, settings.branch)) === undefined)
    throw new UsageError(`--branch ${settings.branch}: no such branch or revision in ${repoDir}`);
  const audit = await locateAuditBranch(repoDir, settings.auditBranch);
  if (audit === undefined && values['audit-branch'] !== undefined)
    throw new UsageError(
      `--audit-branch ${settings.auditBranch}: no such branch (neither ${settings.auditBranch} nor origin/${settings.auditBranch})`,
    );
  if (audit === undefined)
    io.stderr(
      `aac ${command}: no audit log: neither ${settings.auditBranch} nor origin/${settings.auditBranch} exists in ${repoDir}\n`,
    );
  else if (audit.source === 'remote')
    io.stderr(
      `aac ${command}: reading the audit log from origin/${audit.name} (there is no local ${audit.name} branch)\n`,
    );
  return { repoDir, ...settings, auditBranch: audit?.rev ?? settings.auditBranch, audit };
}

/** How a report names the log it read: `access-audit`, or `origin/access-audit`. */
export function auditLogName(ctx: AuditContext): string {
  if (ctx.audit === undefined) return `${ctx.auditBranch} (absent)`;
  return ctx.audit.source === 'remote' ? `origin/${ctx.audit.name}` : ctx.audit.name;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
