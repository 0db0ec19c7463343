import type { AuditEvent } from '../../core/audit/audit-event.js';
import type { AuditFile } from '../../core/audit/audit-files.js';
import { computeAuditAppend } from '../../core/audit/compute-audit-append.js';
import type { AuditAppend } from '../../core/audit/compute-audit-append.js';
import { findSecrets } from '../../core/audit/find-secrets.js';
import { AuditLogError, AuditSecretError } from '../../errors.js';
import { sha256Node } from '../crypto/sha256-node.js';

/**
 * Refuses a batch with secret-looking fields before a writer reads or sends anything
 * (AuditSecretError names the paths, never the values).
 */
export function refuseSecrets(events: readonly AuditEvent[]): void {
  const paths = findSecrets(events);
  if (paths.length > 0) throw new AuditSecretError(paths);
}

/**
 * The core's append (computeAuditAppend, hashed with node:crypto) for a writer: the month files to
 * store and the new records, or the writer's error. `log` names the log in messages (`access-audit`).
 */
export function computeAppendFor(
  log: string,
  newest: AuditFile | undefined,
  events: readonly AuditEvent[],
  options: { oneFile?: string } = {},
): AuditAppend {
  const result = computeAuditAppend(newest, events, sha256Node, options);
  if (result.ok) return result.append;
  const problem = result.problem;
  switch (problem.kind) {
    case 'secrets':
      throw new AuditSecretError(problem.paths);
    case 'damaged':
      throw new AuditLogError(
        `the audit log on ${log} is damaged (${problem.line.file}:${problem.line.line}: ${problem.line.message}); run \`aac audit verify\``,
      );
    case 'bad-time':
      throw new AuditLogError(`audit event time must be ISO 8601 UTC, not "${problem.time}"`);
  }
}
