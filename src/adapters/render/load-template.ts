import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { ConfigError } from '../../errors.js';
import { codeSpan, escapeMarkdown } from './markdown.js';

/** The `templates/` folder of this package (three levels up from src/adapters/render or dist/adapters/render). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

/** How a template is compiled. */
export interface TemplateOptions {
  /**
   * `html` (the pull-request comment, the audit report): every `{{value}}` is HTML-escaped, so text
   * from access files cannot inject markup. `text` (mails): nothing is escaped, and a value the
   * template names but the data lacks is an error instead of an empty string. `markdown` (the
   * pull-request comment and check summary): nothing is HTML-escaped (GitHub would show `&quot;`
   * in code spans); the template writes free text with `{{md x}}` and identifiers with `{{code x}}`.
   */
  mode: 'html' | 'text' | 'markdown';
  /** The templates folder (default `templates/` of this package); tests pass their own. */
  dir?: string;
}

// One Handlebars environment for every template, with the few helpers they use.
const handlebars = Handlebars.create();
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
handlebars.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
handlebars.registerHelper('md', (value: unknown) => escapeMarkdown(value));
handlebars.registerHelper('code', (value: unknown) => codeSpan(value));

const compiled = new Map<string, Handlebars.TemplateDelegate>();

/**
 * The compiled template `<dir>/<file>` (e.g. `pull-request-comment.md.hbs`), cached per process. A template that cannot be read is a
 * ConfigError naming its path.
 * @example loadTemplate('pull-request-comment.md.hbs', { mode: 'html' })(view)
 */
export function loadTemplate<T = object>(file: string, options: TemplateOptions): Handlebars.TemplateDelegate<T> {
  const dir = options.dir ?? TEMPLATES_DIR;
  const path = `${dir.endsWith('/') ? dir : `${dir}/`}${file}`;
  const key = `${options.mode}\u0000${path}`;
  let template = compiled.get(key);
  if (!template) {
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read the template ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    template =
      options.mode === 'html'
        ? handlebars.compile(source, { strict: false })
        : options.mode === 'markdown'
          ? handlebars.compile(source, { noEscape: true, strict: false })
          : handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(key, template);
  }
  return template as Handlebars.TemplateDelegate<T>;
}
