import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { ConfigError } from '../../errors.js';

/** Where message templates live (repository root `templates/`, from src/ and dist/ alike). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

/** The messages aac sends; each is `templates/<name>.hbs`. */
export type MessageName = 'account-provisioned' | 'external-onboarding' | 'temporary-password' | 'request-rejected';

export interface RenderedMessage {
  subject: string;
  text: string;
}

const cache = new Map<string, Handlebars.TemplateDelegate>();

/**
 * Renders a plain-text message template. A template starts with a `Subject: ...` line, then a
 * blank line, then the body. Plain text, so no HTML escaping; values come from the access files.
 */
export function renderMessage(name: MessageName, data: object, dir: string = TEMPLATES_DIR): RenderedMessage {
  const path = `${dir}/${name}.hbs`;
  let template = cache.get(path);
  if (!template) {
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `cannot read the message template ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
    template = messages().compile(source, { noEscape: true, strict: true });
    cache.set(path, template);
  }
  const out = template(data);
  const m = /^Subject:[ \t]*(.*)\r?\n\r?\n([\s\S]*)$/.exec(out);
  if (!m) throw new ConfigError(`${path} must start with a "Subject: ..." line and a blank line`);
  return { subject: m[1]!.trim(), text: m[2]! };
}

let env: typeof Handlebars | undefined;
function messages(): typeof Handlebars {
  if (!env) {
    env = Handlebars.create();
    env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  }
  return env;
}
