import { describe, expect, it } from 'vitest';
import { locate, MAX_FILE_BYTES, parseSource, sourceLine } from '../../src/core/source.js';

const codes = (path: string, content: string | Uint8Array) =>
  parseSource(path, content).diagnostics.map((d) => [d.code, d.line, d.column]);

describe('parseSource: hostile input gives a diagnostic, never a throw', () => {
  it.each([
    ['YAML syntax error', 'kind: Person\nuid: [unclosed\nname: x\n', 'YAML_SYNTAX'],
    ['tab indentation', 'kind: Person\ngrants:\n\t- system: x\n', 'YAML_SYNTAX'],
    ['duplicate key', 'kind: Person\nuid: a\nuid: b\n', 'DUPLICATE_KEY'],
    ['two documents', 'kind: Person\n---\nkind: System\n', 'MULTIPLE_DOCUMENTS'],
    ['empty file', '', 'EMPTY_FILE'],
    ['only comments', '# nothing here\n\n', 'EMPTY_FILE'],
    ['a list at top level', '- kind: Person\n', 'NOT_A_MAPPING'],
    ['a bare string', 'hello\n', 'NOT_A_MAPPING'],
    ['no kind', 'uid: jsmith\n', 'MISSING_KIND'],
    ['unknown kind', 'kind: Robot\n', 'UNKNOWN_KIND'],
    ['non-string kind', 'kind: [Person]\n', 'UNKNOWN_KIND'],
    ['unknown tag', 'kind: Person\nuid: !secret x\n', 'YAML_SYNTAX'],
    [
      'a YAML 1.1 directive (yes/no booleans, merge keys)',
      '%YAML 1.1\n---\nkind: Person\nuid: a\ngrants:\n  - &g { system: x, role: member }\n  - <<: *g\n    emergency: yes\n',
      'YAML_SYNTAX',
    ],
  ])('%s', (_name, text, code) => {
    const result = parseSource('access/people/x.yaml', text);
    expect(result.source).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toContain(code);
    for (const d of result.diagnostics) {
      expect(d.file).toBe('access/people/x.yaml');
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
    }
  });

  it('points at the duplicate key', () => {
    expect(codes('f.yaml', 'kind: Person\nuid: a\nuid: b\n')).toEqual([['DUPLICATE_KEY', 3, 1]]);
  });

  it('points at the unknown kind value', () => {
    expect(codes('f.yaml', '# c\nkind:   Robot\n')).toEqual([['UNKNOWN_KIND', 2, 9]]);
  });

  it('stops alias bombs before they expand', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const text = `kind: Person\n${levels.join('\n')}\n`;
    // ALIAS_LIMIT comes from yaml's alias count before expansion: 10^9 nodes are never built.
    expect(codes('f.yaml', text)).toEqual([['ALIAS_LIMIT', 1, 1]]);
  });

  it('refuses files over the size limit without parsing them', () => {
    const big = `kind: Person\nname: "${'x'.repeat(MAX_FILE_BYTES)}"\n`;
    expect(codes('f.yaml', big)).toEqual([['FILE_TOO_LARGE', 1, 1]]);
    expect(codes('f.yaml', new TextEncoder().encode(big))).toEqual([['FILE_TOO_LARGE', 1, 1]]);
  });

  it('refuses binary content', () => {
    expect(codes('f.yaml', new Uint8Array([0x6b, 0x69, 0x00, 0x01]))).toEqual([['BINARY_FILE', 1, 1]]);
    expect(codes('f.yaml', new Uint8Array([0x6b, 0x3a, 0x20, 0xff, 0xfe]))).toEqual([['BINARY_FILE', 1, 1]]);
    expect(codes('f.yaml', 'kind: Person\u0000\n')).toEqual([['BINARY_FILE', 1, 1]]);
  });

  it('refuses pathological nesting without exhausting the stack', () => {
    const deep = `kind: Person\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const result = parseSource('f.yaml', deep);
    expect(result.source).toBeUndefined();
    expect(result.diagnostics[0]?.code).toBe('YAML_SYNTAX');
  });

  it('accepts a UTF-8 byte order mark and CRLF line ends', () => {
    const bytes = new TextEncoder().encode('\ufeffkind: Person\r\nuid: jsmith\r\n');
    const result = parseSource('f.yaml', bytes);
    expect(result.diagnostics).toEqual([]);
    expect(result.source?.value['uid']).toBe('jsmith');
  });
});

describe('locate', () => {
  const text =
    'kind: Person\nuid: jsmith\ngrants:\n  - system: crm\n    role: sales-rep\n  - { system: email, role: user }\n';
  const source = parseSource('f.yaml', text).source!;

  it.each([
    [['uid'], 2, 6],
    [['grants', 0, 'role'], 5, 11],
    [['grants', 1], 6, 5],
    [['grants', 1, 'role'], 6, 28],
    [['grants', 7, 'role'], 4, 3],
    [['missing'], 1, 1],
  ] as const)('%j is at %i:%i', (path, line, column) => {
    expect(locate(source, path)).toEqual({ line, column });
  });

  it('points at the key when asked', () => {
    expect(locate(source, ['grants', 0, 'role'], { key: true })).toEqual({ line: 5, column: 5 });
  });

  it('gives source lines by 1-based number', () => {
    expect(sourceLine(source, 2)).toBe('uid: jsmith');
    expect(sourceLine(source, 99)).toBeUndefined();
  });
});
