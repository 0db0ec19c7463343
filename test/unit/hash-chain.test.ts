import { describe, expect, it } from 'vitest';
import { canonicalJson, chainEvents, GENESIS } from '../../src/core/audit/hash-chain.js';
import { chain, malformed, sha256, verify } from '../helpers/audit-events.js';
import type { AuditEvent } from '../../src/core/audit/audit-event.js';

const event = (n: number): AuditEvent => ({
  time: `2026-11-22T10:00:0${n}Z`,
  type: 'level.approved',
  actor: `user${n}`,
  subject: 'jsmith',
  pr: 42,
  details: { level: 'manager', reviewer: `user${n}`, reviewedAt: `2026-11-22T10:00:0${n}Z`, tier: 'standard' },
});

describe('the hash chain', () => {
  const records = chain(undefined, [event(1), event(2), event(3), event(4)]);

  it('links each record to the previous one', () => {
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(records[0]!.prev).toBe(GENESIS);
    expect(records[2]!.prev).toBe(records[1]!.hash);
    expect(verify(records)).toEqual([]);
  });

  it('continues after the last record', () => {
    const more = chain(records[3], [event(5)]);
    expect(more[0]).toMatchObject({ seq: 5, prev: records[3]!.hash });
    expect(verify([...records, ...more])).toEqual([]);
  });

  it('hashes canonical JSON, independent of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"e":3,"f":2}]},"b":1}',
    );
  });

  it('finds an edited record', () => {
    const edited = records.map((r) => (r.seq === 2 ? { ...r, actor: 'mallory' } : r));
    expect(verify(edited).map((p) => [p.kind, p.seq])).toEqual([['hash-mismatch', 2]]);
  });

  it('finds a removed record', () => {
    expect(verify([records[0]!, records[2]!, records[3]!]).map((p) => [p.kind, p.seq])).toEqual([
      ['sequence-gap', 3],
      ['broken-link', 3],
    ]);
  });

  it('finds an inserted record, even one with a valid hash of its own', () => {
    const forged = chain(records[1], [event(9)])[0]!;
    const kinds = verify([records[0]!, records[1]!, forged, records[2]!, records[3]!]).map((p) => [p.kind, p.seq]);
    expect(kinds).toEqual([
      ['sequence-gap', 3],
      ['broken-link', 3],
    ]);
  });

  it('finds reordered records', () => {
    const kinds = verify([records[0]!, records[2]!, records[1]!, records[3]!]).map((p) => p.kind);
    expect(kinds).toContain('broken-link');
    expect(kinds).toContain('sequence-gap');
  });
});

describe('chainEvents', () => {
  it('returns secret findings instead of records, and chains nothing of such a batch', () => {
    const leaky = malformed({ ...event(1), details: { ...event(1).details, apiToken: 'x' } });
    expect(chainEvents(undefined, [event(2), leaky], sha256)).toEqual({
      ok: false,
      secrets: ['events[1].details.apiToken'],
    });
  });
});
