import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { ReportView } from '../../core/audit/compute-report-view.js';

/** The `templates/` folder of this package (three levels up from src/adapters/render or dist/adapters/render). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

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

let compiled: Handlebars.TemplateDelegate<AuditHtmlContext> | undefined;

/**
 * One self-contained HTML page (inline CSS and SVG, no scripts, no external assets) from
 * `templates/audit-report.hbs`. Handlebars escapes every value, so text from access files
 * and the audit log cannot inject markup.
 */
export function renderAuditHtml(context: AuditHtmlContext, templatesDir: string = TEMPLATES_DIR): string {
  if (!compiled || templatesDir !== TEMPLATES_DIR) {
    const hbs = Handlebars.create();
    hbs.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
    const template = hbs.compile<AuditHtmlContext>(readFileSync(`${templatesDir}audit-report.hbs`, 'utf8'));
    if (templatesDir !== TEMPLATES_DIR) return template(context);
    compiled = template;
  }
  return compiled(context);
}
