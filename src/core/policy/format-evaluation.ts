import type { Evaluation, EvaluationStatus } from './evaluate-pull-request.js';
import { toChangeRow } from './to-evaluation-json.js';

const VERDICT: Record<EvaluationStatus, string> = {
  approved: 'approved',
  missing: 'approvals missing',
  rejected: 'rejected',
  blocked: 'blocked',
};

/**
 * Plain text for a terminal: one block per change (what it grants, why its tier, what the
 * directory will do), one line per level (who approved, who may, or why nobody can).
 * @example formatEvaluationText(evaluation) // "access/people/jsmith.yaml:24 grant-added jsmith (standard)\n  manager: approved by mjohnson-ex\n..."
 */
export function formatEvaluationText(evaluation: Evaluation): string {
  const lines: string[] = [];
  for (const d of evaluation.diagnostics)
    lines.push(`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
  for (const c of evaluation.changes.map(toChangeRow)) {
    const what = c.system ? ` ${c.system.id}/${c.role?.id ?? ''}${c.risk ? ` (risk ${c.risk})` : ''}` : '';
    lines.push(`${c.file}:${c.line} ${c.kind} ${c.subject}${what} (${c.tier})`);
    if (c.person) lines.push(`  person: ${c.person.name} (${c.person.uid}, ${c.person.type})`);
    const terms = [
      c.privileged ? 'privileged' : '',
      c.emergency ? 'emergency' : '',
      c.expires ? `expires ${c.expires}` : '',
      c.ticket ? `ticket ${c.ticket}` : '',
    ].filter(Boolean);
    if (terms.length > 0) lines.push(`  terms: ${terms.join(', ')}`);
    if (c.justification) lines.push(`  justification: ${c.justification}`);
    lines.push(`  tier: ${c.why}`);
    for (const effect of c.directory) lines.push(`  directory: ${effect}`);
    for (const note of c.notes) lines.push(`  note: ${note}`);
    for (const reason of c.blocked) lines.push(`  blocked: ${reason}`);
    for (const l of c.levels) {
      const onBehalf = l.onBehalfOf ? ` on behalf of ${l.onBehalfOf}` : '';
      if (l.rejection)
        lines.push(`  ${l.level}: rejected by ${l.rejection.by}: ${l.rejection.reason || '(no reason given)'}`);
      if (l.appeal)
        lines.push(
          `  ${l.level}: appealed by ${l.appeal.by}${l.appeal.to ? `, now judged by ${l.appeal.to}` : ''}: ${l.appeal.text}`,
        );
      if (l.satisfiedBy) lines.push(`  ${l.level}: approved by ${l.satisfiedBy}${onBehalf}`);
      else if (!l.rejection || l.appeal?.to)
        lines.push(
          `  ${l.level}: missing; may approve: ${l.candidates.length > 0 ? l.candidates.join(', ') : '(nobody eligible)'}`,
        );
      if (l.fallback) lines.push(`  ${l.level}: fallback: ${l.fallback}`);
      if (l.unmet) lines.push(`  ${l.level}: ${l.unmet}`);
    }
  }
  if (evaluation.changes.length === 0) lines.push('no access changes');
  lines.push(
    `${VERDICT[evaluation.status]} (tier ${evaluation.tier}, ${evaluation.changes.length} change${evaluation.changes.length === 1 ? '' : 's'})`,
  );
  return `${lines.join('\n')}\n`;
}
