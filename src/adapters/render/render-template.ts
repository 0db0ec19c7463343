import { loadTemplate } from './load-template.js';

export { TEMPLATES_DIR } from './load-template.js';
export { codeSpan, escapeMarkdown } from './markdown.js';

/**
 * Renders `templates/<name>.hbs` with `view`. HTML templates HTML-escape values (`{{x}}`), so
 * text from access files (justifications, names) cannot inject markup. Markdown templates
 * (`*.md`: the pull-request comment) are not HTML-escaped: they escape free text for Markdown
 * (`{{md x}}`) and put identifiers in code spans (`{{code x}}`).
 * @example renderTemplate('pull-request-comment.md', computeCommentView(evaluation))
 */
export function renderTemplate(name: string, view: object, dir?: string): string {
  const mode = name.endsWith('.md') ? 'markdown' : 'html';
  return loadTemplate(`${name}.hbs`, { mode, ...(dir !== undefined ? { dir } : {}) })(view);
}

/**
 * Renders a file template (`templates/<name>`, e.g. a workflow or YAML file that `aac init`
 * writes) without HTML escaping, in strict mode so a missing value is an error rather than an
 * empty string. Only for values the caller has validated (identifiers, versions, DNs).
 */
export function renderTextTemplate(name: string, view: object, dir?: string): string {
  return loadTemplate(name, { mode: 'text', ...(dir !== undefined ? { dir } : {}) })(view);
}
