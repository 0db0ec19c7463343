import type { ReportView } from './compute-report-view.js';

/** Markdown: title, summary list, one table per section (pipes and newlines in cells escaped). */
export function formatReportMarkdown(view: ReportView): string {
  const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const out = [`# ${view.title}`, '', ...view.summary.map((s) => `- **${cell(s.label)}**: ${cell(s.value)}`), ''];
  for (const t of view.tables) {
    out.push(`## ${t.title}`, '');
    if (t.rows.length === 0) {
      out.push('_none_', '');
      continue;
    }
    out.push(`| ${t.columns.map(cell).join(' | ')} |`, `|${t.columns.map(() => ' --- ').join('|')}|`);
    for (const r of t.rows) out.push(`| ${r.map(cell).join(' | ')} |`);
    out.push('');
  }
  if (view.provisioning.length > 0) {
    out.push(
      '## Time to provision per tier',
      '',
      '| tier | target | requests | provisioned | within target | median hours | max hours |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const p of view.provisioning)
      out.push(
        `| ${p.tier} | ${p.target ?? ''} | ${p.requests} | ${p.provisioned} | ${p.withinTarget} | ${p.medianHours ?? ''} | ${p.maxHours ?? ''} |`,
      );
    out.push('');
  }
  return `${out.join('\n')}`;
}

/**
 * CSV (RFC 4180) of the view's main table. Cells that a spreadsheet would run as a formula
 * (starting with = + - @) get a leading apostrophe: reports hold text people wrote.
 */
export function formatReportCsv(view: ReportView): string {
  const table = view.tables[0];
  if (!table) return '';
  const cell = (s: string): string => {
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [table.columns, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
