import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditEvent, AuditLog, AuditRecord } from '../../core/audit/audit-event.js';
import { chainEvents } from '../../core/audit/hash-chain.js';
import { InputError } from '../../errors.js';

/**
 * The audit log as one local JSON-lines file (`--audit-log file:PATH`): for trying aac and for
 * machines without the access repository's git checkout. Same records and hash chain as the git
 * branch log; appends are one `appendFileSync` of whole lines.
 */
export function createFileAuditLog(path: string): AuditLog {
  const read = (): AuditRecord[] => {
    if (!existsSync(path)) return [];
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    return lines.map((line, i) => {
      try {
        return JSON.parse(line) as AuditRecord;
      } catch {
        throw new InputError(`${path}:${i + 1}: not a JSON audit record`);
      }
    });
  };
  return {
    async append(events: readonly AuditEvent[]): Promise<AuditRecord[]> {
      const records = chainEvents(read().at(-1), events);
      mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      return records;
    },
    async read(): Promise<AuditRecord[]> {
      return read();
    },
  };
}
