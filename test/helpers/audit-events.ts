import type { AuditDetails, AuditEvent, AuditEventType } from '../../src/core/audit/audit-event.js';

/** A realistic event of `type`, with the detail shape the app and the reconciler write. */
export function auditEvent<T extends AuditEventType>(
  type: T,
  fields: Omit<AuditEvent, 'type' | 'details'> & { details: AuditDetails[T] },
): AuditEvent {
  return { ...fields, type, details: fields.details as unknown as Record<string, unknown> };
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
