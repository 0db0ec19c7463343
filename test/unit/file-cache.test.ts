import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/core/source.js';
import { FileCache, parsedCost } from '../../src/adapters/github/file-cache.js';

const person = (uid: string) => `kind: Person\nuid: ${uid}\nname: ${uid}\nemail: ${uid}@example.org\ntype: employee\n`;

describe('FileCache', () => {
  it('keeps blobs by SHA and parses by path and SHA, and counts hits and misses', () => {
    const cache = new FileCache(1_000_000);
    const bytes = new TextEncoder().encode(person('ann'));
    cache.putBlob('a1', bytes);
    const parsed = parseSource('access/people/ann.yaml', bytes);
    cache.putParsed('access/people/ann.yaml', 'a1', bytes.length, parsed);
    expect(cache.blob('a1')).toBe(bytes);
    expect(cache.parsed('access/people/ann.yaml', 'a1')).toBe(parsed);
    // The same blob at another path is another parse: its diagnostics and file name differ.
    expect(cache.parsed('access/people/bob.yaml', 'a1')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 2, hits: 2, misses: 1, evictions: 0 });
  });

  it('never holds more than its budget: the least recently used go first', () => {
    const size = 100;
    const budget = 10 * parsedCost(size);
    const cache = new FileCache(budget);
    const result = parseSource('p.yaml', person('p'));
    for (let i = 0; i < 10; i++) cache.putParsed(`f${i}.yaml`, `s${i}`, size, result);
    cache.parsed('f0.yaml', 's0'); // f0 is now the most recently used
    for (let i = 10; i < 15; i++) cache.putParsed(`f${i}.yaml`, `s${i}`, size, result);
    const stats = cache.stats();
    expect(stats.bytes).toBeLessThanOrEqual(budget);
    expect(stats).toMatchObject({ entries: 10, evictions: 5 });
    expect(cache.parsed('f0.yaml', 's0')).toBe(result);
    expect(cache.parsed('f1.yaml', 's1')).toBeUndefined();
    expect(cache.parsed('f14.yaml', 's14')).toBe(result);
    // Something bigger than the whole budget is not kept (it would empty the cache).
    cache.putBlob('huge', new Uint8Array(budget + 1));
    expect(cache.blob('huge')).toBeUndefined();
    expect(cache.stats().entries).toBe(10);
  });

  it('costs a parse with its syntax tree once it holds one (put again after use)', () => {
    const cache = new FileCache();
    const text = `${person('ann')}grants:\n  - system: crm\n    role: user\n`;
    const result = parseSource('access/people/ann.yaml', text);
    cache.putParsed('access/people/ann.yaml', 'a1', text.length, result);
    expect(cache.stats().bytes).toBe(parsedCost(text.length));
    void result.source!.doc; // an evaluation asks for a position
    cache.putParsed('access/people/ann.yaml', 'a1', text.length, result);
    expect(cache.stats()).toMatchObject({ entries: 1, bytes: parsedCost(text.length, true) });
  });
});
