import { resolve } from 'node:path';
import { findRepositoryRoot } from '../../adapters/git/run-git.js';
import type { SignatureTrust } from '../../adapters/git/read-git-history.js';
import { InputError } from '../../errors.js';
import type { CliIO } from './cli-io.js';

/** Options every `aac audit` subcommand takes, for `parseArgs`. */
export const AUDIT_OPTIONS = {
  repo: { type: 'string' },
  branch: { type: 'string', default: 'main' },
  'audit-branch': { type: 'string', default: 'access-audit' },
  'allowed-signers': { type: 'string' },
  'gnupg-home': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const AUDIT_OPTIONS_HELP = `  --repo DIR               the access repository (default: the one containing the current folder)
  --branch NAME            the branch holding the desired state (default: main)
  --audit-branch REV       where the audit log is (default: access-audit; e.g. origin/access-audit)
  --allowed-signers FILE   SSH allowed-signers file trusted for commit signatures (default: git config gpg.ssh.allowedSignersFile)
  --gnupg-home DIR         GPG home with the trusted keyring, including GitHub's web-flow key (default: GNUPGHOME)
`;

export interface AuditContext extends SignatureTrust {
  repoDir: string;
  branch: string;
  auditBranch: string;
}

type AuditValues = {
  repo?: string;
  branch?: string;
  'audit-branch'?: string;
  'allowed-signers'?: string;
  'gnupg-home'?: string;
};

/** The common options resolved without touching git: `start` is where to look for the repository. */
export function auditSettings(values: AuditValues, io: CliIO): Omit<AuditContext, 'repoDir'> & { start: string } {
  const gnupgHome = values['gnupg-home'] ?? io.env['GNUPGHOME'];
  return {
    start: resolve(io.cwd, values.repo ?? '.'),
    branch: values.branch ?? 'main',
    auditBranch: values['audit-branch'] ?? 'access-audit',
    ...(values['allowed-signers'] ? { allowedSignersFile: resolve(io.cwd, values['allowed-signers']) } : {}),
    ...(gnupgHome ? { gnupgHome: resolve(io.cwd, gnupgHome) } : {}),
  };
}

/** Resolves the common options into the repository and trust to read with. */
export async function auditContext(values: AuditValues, io: CliIO): Promise<AuditContext> {
  const { start, ...settings } = auditSettings(values, io);
  const repoDir = await findRepositoryRoot(start);
  if (repoDir === undefined) throw new InputError(`${start} is not in a git repository`);
  return { repoDir, ...settings };
}
