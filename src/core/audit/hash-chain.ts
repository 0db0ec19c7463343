import type { AuditEvent, AuditRecord } from './audit-event.js';
import { findSecrets } from './find-secrets.js';

/** `prev` of the first record in a log. */
export const GENESIS = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted at every depth, no whitespace, `undefined` dropped.
 * Two writers that build the same record always hash the same bytes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++)
      out += `${i > 0 ? ',' : ''}${value[i] === undefined ? 'null' : canonicalJson(value[i])}`;
    return `${out}]`;
  }
  // A plain loop over sorted keys: this runs for every record a report or verify reads.
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = object[key];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** SHA-256 (hex) of a UTF-8 string: the shell passes node:crypto's (adapters/crypto); the core computes no digest of its own. */
export type HashText = (text: string) => string;

/** The hash a record must carry: SHA-256 of its canonical JSON without `hash`. */
export function computeRecordHash(record: Omit<AuditRecord, 'hash'> & { hash?: string }, hash: HashText): string {
  const { hash: _hash, ...rest } = record;
  return hash(canonicalJson(rest));
}

/**
 * Turns events into records that continue the chain after `last` (undefined for an empty log).
 * Events carrying secret-looking keys or values are not chained: their paths come back for the
 * writer to refuse (AuditSecretError), so nothing of such a batch is written anywhere.
 */
export function chainEvents(
  last: AuditRecord | undefined,
  events: readonly AuditEvent[],
  hash: HashText,
): { ok: true; records: AuditRecord[] } | { ok: false; secrets: string[] } {
  const secrets = findSecrets(events);
  if (secrets.length > 0) return { ok: false, secrets };
  const records: AuditRecord[] = [];
  let prev = last?.hash ?? GENESIS;
  let seq = last?.seq ?? 0;
  for (const event of events) {
    seq += 1;
    const unsigned = { ...event, seq, prev };
    const record = { ...unsigned, hash: computeRecordHash(unsigned, hash) } as AuditRecord;
    records.push(record);
    prev = record.hash;
  }
  return { ok: true, records };
}

export type ChainProblemKind = 'hash-mismatch' | 'broken-link' | 'sequence-gap';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** 1-based index of the record in the order read. */
  index: number;
  seq: number | undefined;
  message: string;
}

/**
 * Finds every edited (hash mismatch), removed or inserted (sequence gap, broken link) and
 * reordered record. An intact log gives []. `links: 'only'` skips recomputing hashes (edits
 * then go unseen): a quick check for readers that do not vouch for the log.
 */
export function verifyChain(
  records: readonly AuditRecord[],
  options: { hash: HashText; links?: 'only' } | { links: 'only' },
): ChainProblem[] {
  const hash = 'hash' in options ? options.hash : undefined;
  const problems: ChainProblem[] = [];
  let prev = GENESIS;
  let expectedSeq = 1;
  records.forEach((record, i) => {
    const index = i + 1;
    if (hash !== undefined && options.links !== 'only' && computeRecordHash(record, hash) !== record.hash) {
      problems.push({
        kind: 'hash-mismatch',
        index,
        seq: record.seq,
        message: `record ${record.seq} was edited: its content does not match its hash`,
      });
    }
    if (record.seq !== expectedSeq) {
      problems.push({
        kind: 'sequence-gap',
        index,
        seq: record.seq,
        message: `expected record ${expectedSeq} but found ${record.seq}: records were removed, inserted or reordered`,
      });
    }
    if (record.prev !== prev) {
      problems.push({
        kind: 'broken-link',
        index,
        seq: record.seq,
        message: `record ${record.seq} does not follow the record before it (prev hash mismatch)`,
      });
    }
    prev = record.hash;
    expectedSeq = (typeof record.seq === 'number' ? record.seq : expectedSeq) + 1;
  });
  return problems;
}
