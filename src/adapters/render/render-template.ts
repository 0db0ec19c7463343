import { loadTemplate } from './load-template.js';

/**
 * Renders `templates/<name>.hbs` with `view`. Values are HTML-escaped (`{{x}}`), so text from
 * access files (justifications, names) cannot inject markup into a comment; only the marker
 * is emitted raw.
 * @example renderTemplate('pull-request-comment.md', computeCommentView(evaluation))
 */
export function renderTemplate(name: string, view: object, dir?: string): string {
  return loadTemplate(name, { mode: 'html', ...(dir !== undefined ? { dir } : {}) })(view);
}
