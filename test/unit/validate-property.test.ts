import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleFiles, validateWith } from '../helpers/sample-tree.js';

const sample = sampleFiles();
const paths = Object.keys(sample).sort();

/** One random edit of a file's text, chosen to hit YAML structure, schema values and references. */
const mutation = fc.oneof(
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string(),
      fc.constantFrom(
        ':',
        '- ',
        '&a ',
        '*a',
        '!!binary ',
        '{',
        '[',
        '"',
        "'",
        '\t',
        '\n',
        '#',
        '? ',
        '|',
        '>',
        '%YAML 1.1\n',
        '---\n',
        '\u0000',
        'kind: Robot\n',
        'uid: "x,y"\n',
        'emergency: true\n',
      ),
    ),
  }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({
    op: fc.constant('replace-value' as const),
    at: fc.nat(),
    value: fc.oneof(
      fc.string(),
      fc.constantFrom(
        'null',
        '[]',
        '{}',
        '~',
        '123',
        'true',
        'jsmith',
        'crm',
        'admin',
        '2020-01-01',
        'external',
        'deleted',
      ),
    ),
  }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, m: Mutation): string {
  const lines = text.split('\n');
  switch (m.op) {
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'delete': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'duplicate-line': {
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'swap-lines': {
      const [i, j] = [m.a % lines.length, m.b % lines.length];
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 'replace-value': {
      const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /:\s*\S/.test(l));
      if (candidates.length === 0) return text;
      const [line, i] = candidates[m.at % candidates.length]!;
      lines[i] = line.replace(/:\s*.*$/, `: ${m.value}`);
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
  }
}

describe('validation of randomly mutated files', () => {
  it('never throws, and every diagnostic has a file, a line and a column inside that file', () => {
    let runsWithDiagnostics = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...paths), mutation), { minLength: 1, maxLength: 4 }), (edits) => {
        const changes: Record<string, string> = {};
        for (const [path, m] of edits) changes[path] = apply(changes[path] ?? sample[path]!, m);
        const result = validateWith(changes);
        if (result.diagnostics.length > 0) runsWithDiagnostics++;
        for (const d of result.diagnostics) {
          const text = result.files[d.file];
          expect(text, `diagnostic for unknown file ${d.file}`).toBeDefined();
          const lineCount = text!.split('\n').length;
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lineCount);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.code).toMatch(/^[A-Z_]+$/);
          expect(d.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400 },
    );
    // The mutations must actually break files, or the property says nothing.
    expect(runsWithDiagnostics).toBeGreaterThan(200);
  });
});
