import { chain } from './audit-events.js';
import type { AuditEvent, AuditLog, AuditRecord } from '../../src/core/audit/audit-event.js';

/** An AuditLog kept in memory, for tests of the code that writes to the log. */
export class MemoryAuditLog implements AuditLog {
  readonly records: AuditRecord[] = [];

  async append(events: readonly AuditEvent[]): Promise<AuditRecord[]> {
    const added = chain(this.records[this.records.length - 1], events);
    this.records.push(...added);
    return added;
  }

  async read(): Promise<AuditRecord[]> {
    return [...this.records];
  }
}
