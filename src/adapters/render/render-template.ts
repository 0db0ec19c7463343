import { loadTemplate } from './load-template.js';

export { TEMPLATES_DIR } from './load-template.js';

/**
 * Renders `templates/<name>.hbs` with `view`. Values are HTML-escaped (`{{x}}`), so text from
 * access files (justifications, names) cannot inject markup into a comment; only the marker
 * is emitted raw.
 * @example renderTemplate('pull-request-comment.md', computeCommentView(evaluation))
 */
export function renderTemplate(name: string, view: object, dir?: string): string {
  return loadTemplate(`${name}.hbs`, { mode: 'html', ...(dir !== undefined ? { dir } : {}) })(view);
}

/**
 * Renders a file template (`templates/<name>`, e.g. a workflow or YAML file that `aac init`
 * writes) without HTML escaping, in strict mode so a missing value is an error rather than an
 * empty string. Only for values the caller has validated (identifiers, versions, DNs).
 */
export function renderTextTemplate(name: string, view: object, dir?: string): string {
  return loadTemplate(name, { mode: 'text', ...(dir !== undefined ? { dir } : {}) })(view);
}
