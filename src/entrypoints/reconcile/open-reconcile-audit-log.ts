import { resolve } from 'node:path';
import type { AuditLog } from '../../core/audit/audit-event.js';
import { UsageError } from '../../errors.js';
import { createFileAuditLog } from '../../adapters/file/file-audit-log.js';

export interface ReconcileAuditLogOptions {
  /** `--audit-log`: `file:PATH`, or undefined for the default. */
  spec?: string;
  cwd: string;
  /** The access folder (its git checkout holds the audit branch). */
  accessDir: string;
  /** `--push-audit`: push the audit branch after appending. */
  push: boolean;
}

/** The default audit log file, relative to the working directory. */
export const DEFAULT_AUDIT_FILE = '.aac/audit.jsonl';

/**
 * The one place that decides where `aac apply` records its runs: `--audit-log file:PATH`, else
 * the default local file. (The git-branch log replaces the default once it is on main.)
 */
export async function openReconcileAuditLog(options: ReconcileAuditLogOptions): Promise<AuditLog> {
  if (options.spec !== undefined) {
    if (!options.spec.startsWith('file:') || options.spec.length <= 'file:'.length) throw new UsageError(`--audit-log must be file:PATH, not "${options.spec}"`);
    return createFileAuditLog(resolve(options.cwd, options.spec.slice('file:'.length)));
  }
  if (options.push) throw new UsageError('--push-audit needs the git audit log');
  return createFileAuditLog(resolve(options.cwd, DEFAULT_AUDIT_FILE));
}
