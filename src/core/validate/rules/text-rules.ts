import { isMap, isPair, isScalar, isSeq, Scalar } from 'yaml';
import type { Diagnostic } from '../../diagnostics.js';
import type { AccessTree, Entity } from '../../model/access-tree.js';
import type { SourceFile } from '../../source.js';
import type { RuleContext } from './context.js';

/** Keys whose values are free text written by people, where markings like CUI could slip in. */
const FREE_TEXT_KEYS = new Set(['name', 'title', 'description', 'justification', 'ticket', 'legalName']);

/** No free-text field contains a forbidden term (whole word, any case). */
export function checkForbiddenTerms({ tree }: RuleContext): Diagnostic[] {
  const terms = tree.policy?.value.forbiddenTerms ?? [];
  if (terms.length === 0) return [];
  const escaped = terms.map((t) => t.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')).filter((t) => t !== '');
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

function scan(source: SourceFile, pattern: RegExp, out: Diagnostic[]): void {
  const stack: unknown[] = [source.doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (FREE_TEXT_KEYS.has(key) && isScalar(pair.value) && typeof pair.value.value === 'string') {
          report(source, pair.value as Scalar<string>, pattern, out);
        } else stack.push(pair.value);
      }
    } else if (isSeq(node)) stack.push(...node.items);
  }
}

function report(source: SourceFile, scalar: Scalar<string>, pattern: RegExp, out: Diagnostic[]): void {
  const match = pattern.exec(scalar.value);
  if (!match || !scalar.range) return;
  // For plain and quoted one-line scalars the match offset maps straight onto the source.
  const raw = source.text.slice(scalar.range[0], scalar.range[1]);
  const inRaw = raw.indexOf(match[0]);
  const offset = scalar.range[0] + (inRaw >= 0 ? inRaw : 0);
  const { line, col } = source.lineCounter.linePos(offset);
  out.push({
    code: 'FORBIDDEN_TERM',
    severity: 'error',
    message: `"${match[0]}" is a forbidden term (policy forbiddenTerms); controlled information does not belong in the access repository`,
    file: source.path,
    line,
    column: col,
  });
}
