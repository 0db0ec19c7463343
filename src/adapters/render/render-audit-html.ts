import Handlebars from 'handlebars';
import type { ReportView } from '../../core/audit/compute-report-view.js';
import { loadTemplate } from './load-template.js';

export interface AuditHtmlContext {
  view: ReportView;
  /** ISO 8601 time the report was made. */
  generatedAt: string;
  branch: string;
  auditBranch: string;
  /** Records in the audit log, shown when its chain was checked and intact. */
  records?: number;
  verified?: boolean;
}

/** A table cell as the page shows it: escaped HTML with times formatted, and whether it is an unverified merge. */
interface HtmlCell {
  html: Handlebars.SafeString;
  unverified: boolean;
}

/**
 * One self-contained HTML page (inline CSS and SVG, no scripts, no external assets) from
 * `templates/audit-report.hbs`. Every value is escaped before anything is added, so text from
 * access files and the audit log cannot inject markup. ISO 8601 times read as
 * `2026-11-12 03:00 UTC` in a `<time datetime>` element; a merge whose signature is not verified
 * is marked in its cell and row, and counted in a banner above the tables.
 */
export function renderAuditHtml(context: AuditHtmlContext, templatesDir?: string): string {
  const tables = context.view.tables.map((table) => ({
    ...table,
    htmlRows: table.rows.map((row) => {
      const cells = row.map(toCell);
      return { cells, unverified: cells.some((c) => c.unverified) };
    }),
  }));
  const unverifiedMerges = new Set(
    context.view.tables.flatMap((t) => t.rows.filter((r) => r.some(isUnverified)).map((r) => r.join('\u0000'))),
  ).size;
  const page = {
    ...context,
    generatedAtHtml: formatTimes(Handlebars.escapeExpression(context.generatedAt)),
    tables,
    unverifiedMerges,
  };
  return loadTemplate('audit-report.hbs', {
    mode: 'html',
    ...(templatesDir !== undefined ? { dir: templatesDir } : {}),
  })(page);
}

function toCell(text: string): HtmlCell {
  return { html: new Handlebars.SafeString(formatCellHtml(text)), unverified: isUnverified(text) };
}

/** Tokens longer than this (commit ids, paths, emails) may break anywhere; shorter words never do. */
const LONG_TOKEN = /\S{25,}/g;

/**
 * A cell's text as HTML: escaped, times formatted, and long unbroken tokens in
 * `<span class="long">`, which may wrap at any character. Only those: letting every word break
 * anywhere would let the table squeeze short columns to one letter a line.
 */
export function formatCellHtml(text: string): string {
  return formatTimes(Handlebars.escapeExpression(text))
    .split(/(<time [^>]*>[^<]*<\/time>)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(LONG_TOKEN, (token) => `<span class="long">${token}</span>`)))
    .join('');
}

/** The report views write an unverified merge's signature as `NOT verified (...)`. */
function isUnverified(text: string): boolean {
  return text.startsWith('NOT verified');
}

const ISO_TIME = /\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})/g;

/**
 * Wraps each ISO 8601 time in already escaped text in `<time datetime="...">2026-11-12 03:00 UTC</time>`
 * (minutes are what approvers and auditors compare; the exact value stays in `datetime`).
 * @example formatTimes('at 2026-11-12T03:00:00.000Z') // 'at <time datetime="2026-11-12T03:00:00.000Z">2026-11-12 03:00 UTC</time>'
 */
export function formatTimes(escaped: string): string {
  return escaped.replace(
    ISO_TIME,
    (whole, day: string, minutes: string, zone: string) =>
      `<time datetime="${whole}">${day} ${minutes} ${zone === 'Z' ? 'UTC' : `UTC${zone}`}</time>`,
  );
}
