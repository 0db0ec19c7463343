import type { Diagnostic } from '../../diagnostics.js';
import type { AccessTree, Entity } from '../../model/access-tree.js';
import { locate } from '../../source.js';
import type { PathSegment, SourceFile } from '../../source.js';
import type { RuleContext } from './context.js';

/** Keys whose values are free text written by people, where markings like CUI could slip in. */
const FREE_TEXT_KEYS = new Set(['name', 'title', 'description', 'justification', 'ticket', 'legalName']);

/** No free-text field contains a forbidden term (whole word, any case). */
export function checkForbiddenTerms({ tree }: RuleContext): Diagnostic[] {
  const terms = tree.policy?.value.forbiddenTerms ?? [];
  if (terms.length === 0) return [];
  const escaped = terms
    .map((t) =>
      t
        .trim()
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\s+/g, '\\s+'),
    )
    .filter((t) => t !== '');
  // Whole words: no letter, digit or underscore right before or after the term.
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${escaped.join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
  const out: Diagnostic[] = [];
  for (const entity of allEntities(tree)) scan(entity.source, pattern, out);
  return out;
}

function* allEntities(tree: AccessTree): Iterable<Entity<unknown>> {
  if (tree.policy) yield tree.policy;
  yield* tree.systems.values();
  yield* tree.orgs.values();
  yield* tree.people.values();
}

// Walks plain values, so files without a hit never need their syntax tree.
function scan(source: SourceFile, pattern: RegExp, out: Diagnostic[]): void {
  const stack: Array<[unknown, PathSegment[]]> = [[source.value, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (Array.isArray(value)) value.forEach((v, i) => stack.push([v, [...path, i]]));
    else if (typeof value === 'object' && value !== null) {
      for (const [key, v] of Object.entries(value)) {
        if (FREE_TEXT_KEYS.has(key) && typeof v === 'string') {
          const match = pattern.exec(v);
          if (match) out.push(report(source, [...path, key], match[0]));
        } else if (typeof v === 'object' && v !== null) stack.push([v, [...path, key]]);
      }
    }
  }
}

function report(source: SourceFile, path: PathSegment[], term: string): Diagnostic {
  const at = locate(source, path);
  // Point at the term itself when the value is written on one line as in the source.
  const node = source.doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  let { line, column } = at;
  if (node?.range) {
    const raw = source.text.slice(node.range[0], node.range[1]);
    const inRaw = raw.indexOf(term);
    if (inRaw >= 0) {
      const pos = source.lineCounter.linePos(node.range[0] + inRaw);
      line = pos.line;
      column = pos.col;
    }
  }
  return {
    code: 'FORBIDDEN_TERM',
    severity: 'error',
    message: `"${term}" is a forbidden term (policy forbiddenTerms); controlled information does not belong in the access repository`,
    file: source.path,
    line,
    column,
  };
}
