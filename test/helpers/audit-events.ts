import { createHash } from 'node:crypto';
import { chainEvents, verifyChain } from '../../src/core/audit/hash-chain.js';
import type { AuditRecord } from '../../src/core/audit/audit-event.js';
import { AuditSecretError } from '../../src/errors.js';
import type {
  AuditDetails,
  AuditEvent,
  AuditEventBase,
  AuditEventOf,
  AuditEventType,
} from '../../src/core/audit/audit-event.js';

/** A realistic event of `type`, with the detail shape the app and the reconciler write. */
export function auditEvent<T extends AuditEventType>(
  type: T,
  fields: AuditEventBase & { details: AuditDetails[T] },
): AuditEventOf<T> {
  return { ...fields, type };
}

/** An event that breaks the format on purpose (secrets, extra fields): what a buggy writer might pass. */
export function malformed(event: object): AuditEvent {
  return event as AuditEvent;
}

/** `n` distinct level approvals by `actor`, one minute apart from `start`. */
export function approvals(actor: string, n: number, start = Date.parse('2026-11-20T09:00:00Z')): AuditEvent[] {
  return Array.from({ length: n }, (_, i) =>
    auditEvent('level.approved', {
      time: new Date(start + i * 60_000).toISOString(),
      actor,
      subject: 'jsmith',
      pr: 100 + i,
      details: {
        level: 'manager',
        reviewer: actor,
        reviewedAt: new Date(start + i * 60_000).toISOString(),
        tier: 'standard',
      },
    }),
  );
}

/** SHA-256 (hex) as the shell gives it to the core. */
export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** chainEvents with node:crypto's hash; secret findings are thrown as the writers throw them. */
export function chain(last: AuditRecord | undefined, events: readonly AuditEvent[]): AuditRecord[] {
  const result = chainEvents(last, events, sha256);
  if (!result.ok) throw new AuditSecretError(result.secrets);
  return result.records;
}

/** verifyChain recomputing every hash with node:crypto's SHA-256. */
export function verify(records: readonly AuditRecord[]): ReturnType<typeof verifyChain> {
  return verifyChain(records, { hash: sha256 });
}
