import { isMap, isScalar, isSeq, parseDocument, stringify } from '../../vendor/yaml.js';
import type { Node, YAMLMap } from '../../vendor/yaml.js';

/** The fields of one requested grant, in the order they are written. */
export interface GrantFields {
  system: string;
  role: string;
  justification: string;
  starts?: string;
  expires?: string;
  emergency?: boolean;
}

/** The fields of a person the request adds. */
export interface NewPersonFields {
  uid: string;
  name: string;
  email: string;
  type: 'employee' | 'contractor';
  department?: string;
  manager?: string;
}

/**
 * A person file's text with `grants` appended to its `grants:` list, every other byte as it was:
 * the YAML document only tells where the list ends and how it is indented, and the new entries
 * are spliced into the text (re-printing the document would reflow lines and move comments).
 * A file without `grants:` (or with `grants: []`) gets a block list. Undefined when the file is
 * not a mapping or its `grants` is not a list: the caller reports that rather than guess.
 * @example addGrantsToPersonYaml('kind: Person\nuid: a\n', [{ system: 'crm', role: 'user', justification: 'Sales.' }])
 *          // 'kind: Person\nuid: a\ngrants:\n  - system: crm\n    role: user\n    justification: Sales.\n'
 */
export function addGrantsToPersonYaml(text: string, grants: readonly GrantFields[]): string | undefined {
  const edited = spliceGrants(text, grants);
  // A file written with CRLF line ends keeps them.
  return edited !== undefined && text.includes('\r\n') ? edited.replace(/\r?\n/g, '\r\n') : edited;
}

function spliceGrants(text: string, grants: readonly GrantFields[]): string | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const pair = (doc.contents as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === 'grants');
  const value = pair?.value as Node | null | undefined;
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (pair === undefined) return `${body}grants:\n${grantsBlock(grants, '  ')}`;
  if (value === null || value === undefined || (isScalar(value) && value.value === null))
    return spliceAfterKey(text, pair.key as Node, grantsBlock(grants, '  '));
  if (!isSeq(value)) return undefined;
  if (value.flow) {
    if (value.items.length > 0 || !value.range) return undefined;
    // `grants: []`: the empty flow list becomes a block list.
    const [start, end] = value.range;
    const after = /^[ \t]*(#[^\r\n]*)?\r?\n?/.exec(text.slice(end))!;
    const comment = after[1] === undefined ? '' : ` ${after[1]}`;
    return `${text.slice(0, start).trimEnd()}${comment}\n${grantsBlock(grants, '  ')}${text.slice(end + after[0].length)}`;
  }
  const last = value.items.at(-1) as Node | undefined;
  const first = value.items[0] as Node | undefined;
  if (!last?.range || !first?.range) return undefined;
  const indent = dashIndent(text, first.range[0]);
  if (indent === undefined) return undefined;
  // After the line on which the last entry's value ends (its trailing comment lines stay with it).
  const lineEnd = text.indexOf('\n', Math.max(last.range[1] - 1, 0));
  const at = lineEnd < 0 ? text.length : lineEnd + 1;
  const head = at === text.length && !text.endsWith('\n') ? `${text}\n` : text.slice(0, at);
  return `${head}${grantsBlock(grants, indent)}${text.slice(at)}`;
}

/** A new person file: the schema association line, the person, then the grants. */
export function newPersonYaml(person: NewPersonFields, grants: readonly GrantFields[], schemaPath: string): string {
  const lines = [
    `# yaml-language-server: $schema=${schemaPath}`,
    'kind: Person',
    `uid: ${scalar(person.uid)}`,
    `name: ${scalar(person.name)}`,
    `email: ${scalar(person.email)}`,
    `type: ${person.type}`,
    ...(person.department !== undefined ? [`department: ${scalar(person.department)}`] : []),
    ...(person.manager !== undefined ? [`manager: ${scalar(person.manager)}`] : []),
    'status: active',
    'grants:',
  ];
  return `${lines.join('\n')}\n${grantsBlock(grants, '  ')}`;
}

function grantsBlock(grants: readonly GrantFields[], indent: string): string {
  return grants
    .map((g) => {
      const fields: Array<[string, string]> = [
        ['system', scalar(g.system)],
        ['role', scalar(g.role)],
        ['justification', scalar(g.justification)],
        ...(g.starts !== undefined ? [['starts', JSON.stringify(g.starts)] as [string, string]] : []),
        ...(g.expires !== undefined ? [['expires', JSON.stringify(g.expires)] as [string, string]] : []),
        ...(g.emergency ? [['emergency', 'true'] as [string, string]] : []),
      ];
      return fields.map(([key, value], i) => `${indent}${i === 0 ? '- ' : '  '}${key}: ${value}\n`).join('');
    })
    .join('');
}

/** Inserts a block after `key:` whose value is empty (`grants:` alone on its line). */
function spliceAfterKey(text: string, key: Node, block: string): string {
  const lineEnd = text.indexOf('\n', key.range?.[1] ?? 0);
  if (lineEnd < 0) return `${text}\n${block}`;
  return `${text.slice(0, lineEnd + 1)}${block}${text.slice(lineEnd + 1)}`;
}

/** The indentation before the `- ` that introduces the list entry starting at `offset`. */
function dashIndent(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /^([ \t]*)-\s/.exec(text.slice(lineStart, offset + 1));
  return m?.[1];
}

/**
 * A value as one YAML scalar on one line: plain when yaml would write it plain, else double quoted
 * (JSON's string syntax is YAML's), so that no value can add keys, lines or comments of its own.
 */
export function scalar(value: string): string {
  const plain = stringify(value, { lineWidth: 0 }).trimEnd();
  return plain === value ? plain : JSON.stringify(value);
}
