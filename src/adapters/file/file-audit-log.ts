import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditEvent, AuditLog, AuditRecord } from '../../core/audit/audit-event.js';
import { parseAuditText } from '../../core/audit/audit-files.js';
import type { AuditFile } from '../../core/audit/audit-files.js';
import { InputError } from '../../errors.js';
import { computeAppendFor, refuseSecrets } from '../audit/append-audit-events.js';

/**
 * The audit log as one local JSON-lines file (`--audit-log file:PATH`): for trying aac and for
 * machines without the access repository's git checkout. Same records, line format, parser and
 * append algorithm as the git branch log (computeAuditAppend), all in one file; appends are one
 * `appendFileSync` of whole lines.
 */
export function createFileAuditLog(path: string): AuditLog {
  const file = (): AuditFile | undefined => (existsSync(path) ? { path, text: readFileSync(path, 'utf8') } : undefined);
  const read = (): AuditRecord[] => {
    const current = file();
    if (!current) return [];
    const parsed: Parameters<typeof parseAuditText>[1] = { records: [], places: [], unreadable: [] };
    parseAuditText(current, parsed);
    const bad = parsed.unreadable[0];
    if (bad) throw new InputError(`${path}:${bad.line}: ${bad.message}`);
    return parsed.records;
  };
  return {
    async append(events: readonly AuditEvent[]): Promise<AuditRecord[]> {
      if (events.length === 0) return [];
      refuseSecrets(events);
      const current = file();
      const { files, records } = computeAppendFor(path, current, events, { oneFile: path });
      const [written] = files;
      if (written === undefined) return records;
      mkdirSync(dirname(path), { recursive: true });
      // The new text is the old text plus whole lines: append only those lines.
      appendFileSync(path, written.text.slice(current?.text.length ?? 0));
      return records;
    },
    async read(): Promise<AuditRecord[]> {
      return read();
    },
  };
}
