import type { AuditEvent, AuditRecord } from './audit-event.js';
import { formatAuditLines, parseAuditText, targetFileOf } from './audit-files.js';
import type { AuditFile, UnreadableLine } from './audit-files.js';
import { chainEvents } from './hash-chain.js';
import type { HashText } from './hash-chain.js';

/** Why events cannot be appended; the writer turns it into its error, nothing is written. */
export type AuditAppendProblem =
  /** Secret-looking keys or values, by path (`events[0].details.password`); never the values. */
  | { kind: 'secrets'; paths: string[] }
  /** The newest month file holds a line that is not a record: the chain cannot be continued. */
  | { kind: 'damaged'; line: UnreadableLine }
  /** An event's time is not ISO 8601, so it has no month file. */
  | { kind: 'bad-time'; time: string };

/** What a writer stores: every month file the append touches, with its whole new text, and the new records. */
export interface AuditAppend {
  files: AuditFile[];
  records: AuditRecord[];
}

/**
 * The one append algorithm every writer shares (git branch, GitHub API, local file): continue the
 * chain after the last record of `newest` (the newest month file, or undefined for an empty log),
 * put each record in its month file (never a month before `newest`, so name order stays record
 * order; `oneFile`: the local file log, one file whatever the month), and give the files' new
 * texts: old lines kept byte for byte, new lines after them.
 * @example computeAuditAppend(newestFile, events, sha256) // { files: [{ path: 'audit/2026-11.jsonl', text }], records }
 */
export function computeAuditAppend(
  newest: AuditFile | undefined,
  events: readonly AuditEvent[],
  hash: HashText,
  options: { oneFile?: string } = {},
): { ok: true; append: AuditAppend } | { ok: false; problem: AuditAppendProblem } {
  const existing = { records: [] as AuditRecord[], places: [], unreadable: [] as UnreadableLine[] };
  if (newest) parseAuditText(newest, existing);
  const damaged = existing.unreadable[0];
  if (damaged) return { ok: false, problem: { kind: 'damaged', line: damaged } };
  const chained = chainEvents(existing.records.at(-1), events, hash);
  if (!chained.ok) return { ok: false, problem: { kind: 'secrets', paths: chained.secrets } };
  const byFile = new Map<string, AuditRecord[]>();
  for (const record of chained.records) {
    const month = targetFileOf(record.time, newest?.path);
    if (month === undefined) return { ok: false, problem: { kind: 'bad-time', time: record.time } };
    const path = options.oneFile ?? month;
    byFile.set(path, [...(byFile.get(path) ?? []), record]);
  }
  const files = [...byFile].map(([path, added]) => {
    const old = path === newest?.path ? newest.text : '';
    return { path, text: `${old}${old === '' || old.endsWith('\n') ? '' : '\n'}${formatAuditLines(added)}` };
  });
  return { ok: true, append: { files, records: chained.records } };
}
