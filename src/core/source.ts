import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from '../vendor/yaml.js';
import type { Document, Node, YAMLError } from '../vendor/yaml.js';
import type { Diagnostic, DiagnosticCode } from './diagnostics.js';

/** Largest file aac parses, in bytes. Access files are small; anything bigger is a mistake or an attack. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Most aliases a file may expand; stops "billion laughs" documents. */
export const MAX_ALIAS_COUNT = 100;
/** Deepest nesting of maps and lists accepted; access files need about 5. */
export const MAX_DEPTH = 64;

export type Kind = 'Policy' | 'System' | 'Person' | 'Organization';
export const KINDS: readonly Kind[] = ['Policy', 'System', 'Person', 'Organization'];

/**
 * A parsed YAML file whose values can be traced back to line and column. The syntax tree is
 * rebuilt from `text` on first use and then kept: most files never need a position, and not
 * holding ten thousand syntax trees halves validation's memory and garbage collection.
 */
export class SourceFile {
  #syntax: { doc: Document.Parsed; lineCounter: LineCounter } | undefined;

  constructor(
    /** Path as shown to users, e.g. `access/people/jsmith.yaml`. */
    readonly path: string,
    readonly text: string,
    /** Plain data (maps become objects). */
    readonly value: Record<string, unknown>,
    readonly kind: Kind,
    /** The syntax tree the value came from, when the caller already knows positions will be needed. */
    syntax?: { doc: Document.Parsed; lineCounter: LineCounter },
  ) {
    this.#syntax = syntax;
  }

  get doc(): Document.Parsed {
    return this.#load().doc;
  }

  get lineCounter(): LineCounter {
    return this.#load().lineCounter;
  }

  /** Whether the syntax tree is held now (it was asked for, or kept from the parse). */
  get hasSyntax(): boolean {
    return this.#syntax !== undefined;
  }

  #load(): { doc: Document.Parsed; lineCounter: LineCounter } {
    if (!this.#syntax) {
      const lineCounter = new LineCounter();
      this.#syntax = { doc: parseDocument(this.text, { lineCounter, ...PARSE_OPTIONS }), lineCounter };
    }
    return this.#syntax;
  }
}

const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true, version: '1.2' } as const;

export interface ParseResult {
  source?: SourceFile;
  diagnostics: Diagnostic[];
}

export type PathSegment = string | number;

/** A 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

const START: Position = { line: 1, column: 1 };

/**
 * Parses one access file. Never throws: every problem becomes a diagnostic with a position,
 * and `source` is set only when the file is a mapping with a known `kind`.
 */
export function parseSource(
  path: string,
  content: Uint8Array | string,
  options: {
    /** Keep the syntax tree in the SourceFile: for files whose positions will be asked (a pull request's changed files). */
    keepSyntax?: boolean;
  } = {},
): ParseResult {
  const problem = (code: DiagnosticCode, message: string, at: Position = START): ParseResult => ({
    diagnostics: [{ code, severity: 'error', message, file: path, line: at.line, column: at.column }],
  });

  const size = typeof content === 'string' ? utf8Length(content) : content.byteLength;
  if (size > MAX_FILE_BYTES)
    return problem('FILE_TOO_LARGE', `file is ${size} bytes; access files may be at most ${MAX_FILE_BYTES} bytes`);
  const text = typeof content === 'string' ? content : decodeUtf8(content);
  if (text === undefined) return problem('BINARY_FILE', 'file is not UTF-8 text');
  if (text.includes('\u0000')) return problem('BINARY_FILE', 'file contains a NUL byte; it is not a text file');

  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, ...PARSE_OPTIONS });
  } catch (error) {
    // The parser itself can only fail on pathological input (e.g. nesting deep enough to exhaust the stack).
    return problem('YAML_SYNTAX', `cannot parse: ${error instanceof Error ? error.message : String(error)}`);
  }
  const at = (offset: number): Position => toPosition(lineCounter, offset);

  const yamlProblems = [...doc.errors, ...doc.warnings];
  if (yamlProblems.length > 0) {
    return { diagnostics: yamlProblems.map((e) => yamlDiagnostic(path, e, at(e.pos[0]))) };
  }
  // `%YAML 1.1` would switch on 1.1's rules (yes/no booleans, `<<` merge keys, dates, octal): the
  // values aac reads would differ from what a reviewer and a YAML 1.2 editor see in the same text.
  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== '1.2') {
    return problem(
      'YAML_SYNTAX',
      `%YAML ${doc.directives.yaml.version} is not accepted; access files are YAML 1.2 (remove the directive)`,
    );
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return problem('EMPTY_FILE', 'file is empty; expected a mapping with `kind:`');
  }
  if (!isMap(doc.contents)) {
    return problem(
      'NOT_A_MAPPING',
      'expected a mapping (key: value lines) at the top of the file',
      rangeStart(doc.contents, lineCounter),
    );
  }
  const depth = measureDepth(doc.contents);
  if (depth > MAX_DEPTH) return problem('YAML_SYNTAX', `nesting is ${depth} levels deep; at most ${MAX_DEPTH} allowed`);

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError) {
      return problem(
        'ALIAS_LIMIT',
        `aliases expand too much (more than ${MAX_ALIAS_COUNT}); write the values out instead`,
      );
    }
    return problem('YAML_SYNTAX', `cannot read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const record = value as Record<string, unknown>;
  const kindNode = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'kind');
  if (kindNode === undefined)
    return problem(
      'MISSING_KIND',
      `missing \`kind:\`; expected one of ${KINDS.join(', ')}`,
      rangeStart(doc.contents, lineCounter),
    );
  const kind = record['kind'];
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    const where = rangeStart((kindNode.value as Node | null) ?? (kindNode.key as Node), lineCounter);
    return problem('UNKNOWN_KIND', `unknown kind ${JSON.stringify(kind)}; expected one of ${KINDS.join(', ')}`, where);
  }
  const syntax = options.keepSyntax ? { doc, lineCounter } : undefined;
  return { source: new SourceFile(path, text, record, kind as Kind, syntax), diagnostics: [] };
}

/**
 * Position of the value at `path` (e.g. `['grants', 2, 'role']`). With `key: true`, the position of
 * the key instead (used for unknown properties). Falls back to the deepest node that exists.
 */
export function locate(source: SourceFile, path: readonly PathSegment[], options: { key?: boolean } = {}): Position {
  let node: unknown = source.doc.contents;
  let found: Position = rangeStart(node, source.lineCounter);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isAlias(node)) node = node.resolve(source.doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair === undefined) return found;
      const last = i === path.length - 1;
      if (last && options.key) return rangeStart(pair.key, source.lineCounter);
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) return found;
      node = item;
    } else {
      return found;
    }
    found = rangeStart(node, source.lineCounter);
  }
  return found;
}

/** The 1-based line of a source file's text, for showing under a diagnostic. */
export function sourceLine(source: Pick<SourceFile, 'text'>, line: number): string | undefined {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = source.text.indexOf('\n', start);
    if (next < 0) return undefined;
    start = next + 1;
  }
  const end = source.text.indexOf('\n', start);
  return source.text.slice(start, end < 0 ? undefined : end).replace(/\r$/, '');
}

function rangeStart(node: unknown, lineCounter: LineCounter): Position {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? toPosition(lineCounter, range[0]) : START;
}

function toPosition(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function yamlDiagnostic(path: string, error: YAMLError, at: Position): Diagnostic {
  const code: DiagnosticCode =
    error.code === 'DUPLICATE_KEY'
      ? 'DUPLICATE_KEY'
      : error.code === 'MULTIPLE_DOCS'
        ? 'MULTIPLE_DOCUMENTS'
        : 'YAML_SYNTAX';
  // The parser's messages can quote long stretches of input; keep the first line.
  const message = error.message.split('\n')[0] ?? error.message;
  return { code, severity: 'error', message, file: path, line: at.line, column: at.column };
}

// A UTF-8 character is at most 3 bytes per UTF-16 unit, so short strings need no encoding to measure.
function utf8Length(text: string): number {
  return text.length * 3 <= MAX_FILE_BYTES ? text.length : new TextEncoder().encode(text).byteLength;
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

// Iterative, so a hostile file cannot exhaust the stack while we measure it.
function measureDepth(root: Node): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (depth > MAX_DEPTH) return depth;
    if (isMap(node)) for (const p of node.items) stack.push([p.value, depth + 1]);
    else if (isSeq(node)) for (const item of node.items) stack.push([item, depth + 1]);
  }
  return max;
}
