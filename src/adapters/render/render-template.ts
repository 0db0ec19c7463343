import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** The `templates/` folder of this package (three levels up from src/adapters/render or dist/adapters/render). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

const compiled = new Map<string, Handlebars.TemplateDelegate>();
let env: typeof Handlebars | undefined;

/**
 * Renders `templates/<name>.hbs` with `view`. HTML and mail templates HTML-escape values
 * (`{{x}}`), so text from access files (justifications, names) cannot inject markup. Markdown
 * templates (`*.md`) are not HTML-escaped (GitHub would show `&quot;` in code spans): they
 * write free text with `{{md x}}` (Markdown-escaped, one line, mentions defused) and identifiers
 * with `{{code x}}` (a code span). Compiled templates are cached per process.
 * @example renderTemplate('pull-request-comment.md', computeCommentView(evaluation))
 */
export function renderTemplate(name: string, view: object, dir: string = TEMPLATES_DIR): string {
  const key = `${dir}${name}`;
  let template = compiled.get(key);
  if (!template) {
    const markdown = name.endsWith('.md');
    template = handlebars().compile(readFileSync(`${dir}${name}.hbs`, 'utf8'), { strict: false, noEscape: markdown });
    compiled.set(key, template);
  }
  return template(view);
}

/**
 * Text as inline Markdown that renders as written: one line, every character with a meaning in
 * Markdown or a table backslash-escaped, and `@` made unable to mention anyone.
 * @example escapeMarkdown('a|b *c* @team') // 'a\\|b \\*c\\* @\u200bteam'
 */
export function escapeMarkdown(value: unknown): string {
  return String(value ?? '')
    .replace(/\s+/g, ' ')
    .replace(/[\\`*_[\]<>|~#]/g, '\\$&')
    .replace(/@/g, '@\u200b');
}

/** A Markdown code span around `value`, whatever backticks it holds (and `|` escaped for tables). */
export function codeSpan(value: unknown): string {
  const text = String(value ?? '')
    .replace(/\s+/g, ' ')
    .replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function handlebars(): typeof Handlebars {
  if (!env) {
    env = Handlebars.create();
    env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    env.registerHelper('md', (value: unknown) => escapeMarkdown(value));
    env.registerHelper('code', (value: unknown) => codeSpan(value));
  }
  return env;
}

const compiledText = new Map<string, Handlebars.TemplateDelegate>();

/**
 * Renders a file template (`templates/<name>`, e.g. a workflow or YAML file that `aac init`
 * writes) without HTML escaping, in strict mode so a missing value is an error rather than an
 * empty string. Only for values the caller has validated (identifiers, versions, DNs).
 */
export function renderTextTemplate(name: string, view: object, dir: string = TEMPLATES_DIR): string {
  const key = `${dir}${name}`;
  let template = compiledText.get(key);
  if (!template) {
    template = handlebars().compile(readFileSync(`${dir}${name}`, 'utf8'), { strict: true, noEscape: true });
    compiledText.set(key, template);
  }
  return template(view);
}
