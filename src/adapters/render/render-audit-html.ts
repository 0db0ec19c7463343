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

/**
 * One self-contained HTML page (inline CSS and SVG, no scripts, no external assets) from
 * `templates/audit-report.hbs`. Handlebars escapes every value, so text from access files
 * and the audit log cannot inject markup.
 */
export function renderAuditHtml(context: AuditHtmlContext, templatesDir?: string): string {
  return loadTemplate<AuditHtmlContext>('audit-report.hbs', {
    mode: 'html',
    ...(templatesDir !== undefined ? { dir: templatesDir } : {}),
  })(context);
}
