import { describe, expect, it } from 'vitest';
import { compareAuditCopies, verifyAuditHistory } from '../../src/core/audit/verify-audit-history.js';

const R = '\x1e';
const file = (path: string, hunks: string[], header = '') =>
  `diff --git a/${path} b/${path}\n${header}--- a/${path}\n+++ b/${path}\n${hunks.join('\n')}\n`;

describe('verifyAuditHistory', () => {
  it('accepts appends at the end of each file, followed along the history', () => {
    const log = [
      `${R}c1\n\n${file('audit/2026-11.jsonl', ['@@ -0,0 +1,2 @@', '+a', '+b'], 'new file mode 100644\n')}`,
      `${R}c2 c1\n\n${file('audit/2026-11.jsonl', ['@@ -2,0 +3 @@', '+c'])}`,
      `${R}c3 c2\n\n${file('audit/2026-12.jsonl', ['@@ -0,0 +1 @@', '+d'], 'new file mode 100644\n')}`,
    ].join('');
    expect(verifyAuditHistory(log)).toEqual({ commits: 3, problems: [] });
  });

  it.each([
    ['a changed line', '@@ -2 +2 @@', 'lines-removed', 2],
    ['a removed last line', '@@ -2,1 +1,0 @@', 'lines-removed', 2],
    ['an insertion above the end', '@@ -1,0 +2 @@', 'lines-inserted', 2],
  ])('names the commit of %s', (_, hunk, kind, line) => {
    const log = `${R}c1\n\n${file('audit/2026-11.jsonl', ['@@ -0,0 +1,2 @@', '+a', '+b'])}${R}c2 c1\n\n${file('audit/2026-11.jsonl', [hunk, '+x'])}`;
    expect(verifyAuditHistory(log).problems).toEqual([
      expect.objectContaining({ kind, commit: 'c2', file: 'audit/2026-11.jsonl', line }),
    ]);
  });

  it('names merges, deletions, binary files and mode changes; ignores paths outside audit/', () => {
    const log = [
      `${R}c1\n\n${file('audit/2026-11.jsonl', ['@@ -0,0 +1 @@', '+a'])}${file('README', ['@@ -1 +1 @@', '-x', '+y'])}`,
      `${R}m c1 other\n\n`,
      `${R}c3 m\n\ndiff --git a/audit/2026-11.jsonl b/audit/2026-11.jsonl\nold mode 100644\nnew mode 100755\n`,
      `${R}c4 c3\n\ndiff --git a/audit/2026-11.jsonl b/audit/2026-11.jsonl\nBinary files a/x and b/x differ\n`,
      `${R}c5 c4\n\n${file('audit/2026-11.jsonl', ['@@ -1 +0,0 @@', '-a'], 'deleted file mode 100644\n')}`,
    ].join('');
    expect(verifyAuditHistory(log).problems.map((p) => [p.kind, p.commit])).toEqual([
      ['unexpected-commit', 'm'],
      ['unexpected-commit', 'c3'],
      ['unexpected-commit', 'c4'],
      ['file-removed', 'c5'],
    ]);
  });
});

describe('compareAuditCopies', () => {
  const recs = (...hashes: string[]) => hashes.map((hash, i) => ({ seq: i + 1, hash }));
  it('accepts a copy that holds every record, or more', () => {
    expect(compareAuditCopies(recs('a', 'b'), recs('a', 'b', 'c'), 'origin/x')).toEqual([]);
  });
  it('reports a copy that lacks the newest records, or differs', () => {
    expect(compareAuditCopies(recs('a', 'b', 'c'), recs('a'), 'origin/x')).toEqual([
      expect.objectContaining({ kind: 'copy-missing-records', seq: 2 }),
    ]);
    expect(compareAuditCopies(recs('a', 'b'), recs('a', 'z'), 'origin/x')).toEqual([
      expect.objectContaining({ kind: 'copy-diverged', seq: 2 }),
    ]);
  });
});
