import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** The `templates/` folder of this package (three levels up from src/adapters/render or dist/adapters/render). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

const compiled = new Map<string, Handlebars.TemplateDelegate>();
let env: typeof Handlebars | undefined;

/**
 * Renders `templates/<name>.hbs` with `view`. Values are HTML-escaped (`{{x}}`), so text from
 * access files (justifications, names) cannot inject markup into a comment; only the marker
 * is emitted raw. Compiled templates are cached per process.
 * @example renderTemplate('pull-request-comment.md', computeCommentView(evaluation))
 */
export function renderTemplate(name: string, view: object, dir: string = TEMPLATES_DIR): string {
  const key = `${dir}${name}`;
  let template = compiled.get(key);
  if (!template) {
    template = handlebars().compile(readFileSync(`${dir}${name}.hbs`, 'utf8'), { strict: false });
    compiled.set(key, template);
  }
  return template(view);
}

function handlebars(): typeof Handlebars {
  if (!env) {
    env = Handlebars.create();
    env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
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
