import { resolve } from 'node:path';
import type { AuditLog } from '../../core/audit/audit-event.js';
import { UsageError } from '../../errors.js';
import { createFileAuditLog } from '../../adapters/file/file-audit-log.js';
import { createGitAuditLog } from '../../adapters/git/git-audit-log.js';
import { findRepositoryRoot } from '../../adapters/git/run-git.js';

export interface ReconcileAuditLogOptions {
  /** `--audit-log`: `git`, `file:PATH`, or undefined for the default. */
  spec?: string;
  cwd: string;
  /** The access folder: its git checkout holds the audit branch. */
  accessDir: string;
  /** `--push-audit`: push the audit branch to `origin` after appending. */
  push: boolean;
}

/** The audit log file used outside a git checkout, relative to the working directory. */
export const DEFAULT_AUDIT_FILE = '.aac/audit.jsonl';

/**
 * The one place that decides where `aac apply` records its runs. Default: the `access-audit`
 * branch of the git checkout holding the access files (pushed to `origin` with `--push-audit`),
 * or, outside a checkout, the local file `.aac/audit.jsonl`. `--audit-log git` insists on git;
 * `--audit-log file:PATH` picks a file.
 */
export async function openReconcileAuditLog(options: ReconcileAuditLogOptions): Promise<AuditLog> {
  const spec = options.spec;
  if (spec !== undefined && spec !== 'git') {
    if (!spec.startsWith('file:') || spec.length <= 'file:'.length)
      throw new UsageError(`--audit-log must be git or file:PATH, not "${spec}"`);
    if (options.push) throw new UsageError('--push-audit needs the git audit log');
    return createFileAuditLog(resolve(options.cwd, spec.slice('file:'.length)));
  }
  const root = await findRepositoryRoot(options.accessDir); // undefined only outside a repository
  if (root !== undefined)
    return createGitAuditLog({ repoDir: root, ...(options.push ? { push: { remote: 'origin' } } : {}) });
  if (spec === 'git' || options.push)
    throw new UsageError(`${options.accessDir} is not in a git checkout, so there is no audit branch to append to`);
  return createFileAuditLog(resolve(options.cwd, DEFAULT_AUDIT_FILE));
}
