import type { EvidenceControl } from './compute-evidence.js';

/** One control as a Markdown evidence file. */
export function formatEvidenceMarkdown(
  c: EvidenceControl,
  meta: { generatedAt: string; branch: string; auditBranch: string },
): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const out = [
    `# NIST SP 800-171 rev. 2, ${c.control}: ${c.title}`,
    '',
    `Status: **${c.status}**${c.reason ? ` (${c.reason})` : ''}. Generated ${meta.generatedAt} from ${meta.branch} and the audit log on ${meta.auditBranch}.`,
    '',
    '## Evidence',
    '',
    ...c.evidence.map((e) => `- ${e}`),
    '',
  ];
  if (c.gaps.length > 0) out.push('## Gaps', '', ...c.gaps.map((g) => `- ${g}`), '');
  for (const t of c.tables) {
    out.push(`## ${t.title}`, '');
    if (t.rows.length === 0) out.push('_none_', '');
    else
      out.push(
        `| ${t.columns.map(cell).join(' | ')} |`,
        `|${t.columns.map(() => ' --- ').join('|')}|`,
        ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
        '',
      );
  }
  return out.join('\n');
}
