import type { AuditRecord } from './audit-event.js';
import { checkAuditDetails } from './check-audit-details.js';

/** Folder of the month files on the audit branch. */
export const AUDIT_DIR = 'audit';

/** One month file as read from the audit branch: `audit/2026-11.jsonl` and its text. */
export interface AuditFile {
  path: string;
  text: string;
}

/** A line of a month file that is not a record at all (not JSON, or missing fields). */
export interface UnreadableLine {
  file: string;
  /** 1-based. */
  line: number;
  message: string;
}

/** `audit/2026-11.jsonl` for an ISO time in November 2026; undefined when `time` is not ISO 8601. */
export function monthFileOf(time: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-\d{2}T/.exec(time);
  if (!m || Number.isNaN(Date.parse(time))) return undefined;
  return `${AUDIT_DIR}/${m[1]}-${m[2]}.jsonl`;
}

/**
 * The month file a new record goes to: the month of its time, but never a month before the
 * newest file. A late event (time in October, written in November) thus goes to the newest
 * file, so reading the files in name order always gives the records in `seq` order.
 */
export function targetFileOf(time: string, newestFile: string | undefined): string | undefined {
  const own = monthFileOf(time);
  if (own === undefined) return undefined;
  return newestFile !== undefined && newestFile > own ? newestFile : own;
}

/** Month files sorted by name, which is chronological (`YYYY-MM`). */
export function sortAuditFiles<T extends { path: string }>(files: readonly T[]): T[] {
  return [...files].filter((f) => isMonthFile(f.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function isMonthFile(path: string): boolean {
  return new RegExp(`^${AUDIT_DIR}/\\d{4}-\\d{2}\\.jsonl$`).test(path);
}

/** Records as JSON lines, each ending with a newline. */
export function formatAuditLines(records: readonly AuditRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** Where a record was read: month file and 1-based line. */
export interface RecordPlace {
  file: string;
  line: number;
}

/**
 * Parses the month files in order into records, with `places[i]` telling where `records[i]`
 * was. Blank lines are skipped; a line that is not a JSON object with `seq`, `type`, `prev` and
 * `hash` is reported, not thrown, so a verifier can name every damaged line.
 */
export function parseAuditFiles(files: readonly AuditFile[]): {
  records: AuditRecord[];
  places: RecordPlace[];
  unreadable: UnreadableLine[];
} {
  const records: AuditRecord[] = [];
  const places: RecordPlace[] = [];
  const unreadable: UnreadableLine[] = [];
  for (const file of sortAuditFiles(files)) parseAuditText(file, { records, places, unreadable });
  return { records, places, unreadable };
}

/**
 * Parses one file of JSON lines (a month file, or the local file log) into `into`: records and
 * their places, and every line that is not a valid record.
 */
export function parseAuditText(
  file: AuditFile,
  into: { records: AuditRecord[]; places: RecordPlace[]; unreadable: UnreadableLine[] },
): void {
  const lines = file.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      into.unreadable.push({ file: file.path, line: i + 1, message: 'not valid JSON' });
      continue;
    }
    if (!isRecordShape(value)) {
      into.unreadable.push({
        file: file.path,
        line: i + 1,
        message: 'not an audit record (needs seq, time, type, actor, prev, hash)',
      });
      continue;
    }
    const problem = checkAuditDetails(value.type, value.details);
    if (problem !== undefined) {
      into.unreadable.push({ file: file.path, line: i + 1, message: `not a valid audit record: ${problem}` });
      continue;
    }
    into.records.push(value);
    into.places.push({ file: file.path, line: i + 1 });
  }
}

function isRecordShape(value: unknown): value is AuditRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['seq'] === 'number' &&
    typeof v['time'] === 'string' &&
    typeof v['type'] === 'string' &&
    typeof v['actor'] === 'string' &&
    typeof v['prev'] === 'string' &&
    typeof v['hash'] === 'string' &&
    (v['subject'] === undefined || typeof v['subject'] === 'string') &&
    (v['commit'] === undefined || typeof v['commit'] === 'string') &&
    (v['pr'] === undefined || typeof v['pr'] === 'number')
  );
}
