import type { Evaluation } from './evaluate-pull-request.js';

/**
 * Plain text for a terminal: one block per change, one line per level.
 * @example formatEvaluationText(evaluation) // "access/people/jsmith.yaml:24 grant-added jsmith (standard)\n  manager: approved by mjohnson-ex\n..."
 */
export function formatEvaluationText(evaluation: Evaluation): string {
  const lines: string[] = [];
  for (const d of evaluation.diagnostics)
    lines.push(`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
  for (const c of evaluation.changes) {
    lines.push(`${c.file}:${c.line} ${c.kind} ${c.subject} (${c.tier})`);
    for (const reason of c.blocked) lines.push(`  blocked: ${reason}`);
    for (const l of c.levels) {
      if (l.satisfiedBy) lines.push(`  ${l.level}: approved by ${l.satisfiedBy}`);
      else
        lines.push(
          `  ${l.level}: missing; may approve: ${l.candidates.length > 0 ? l.candidates.join(', ') : '(nobody eligible)'}`,
        );
    }
  }
  if (evaluation.changes.length === 0) lines.push('no access changes');
  lines.push(
    `${evaluation.status === 'approved' ? 'approved' : evaluation.status === 'missing' ? 'approvals missing' : 'blocked'} (tier ${evaluation.tier}, ${evaluation.changes.length} change${evaluation.changes.length === 1 ? '' : 's'})`,
  );
  return `${lines.join('\n')}\n`;
}
