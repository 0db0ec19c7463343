import type { NoticeTemplate } from '../../core/notify/notifier.js';
import { ConfigError } from '../../errors.js';
import { loadTemplate } from '../render/load-template.js';

/** The messages aac sends; each is `templates/<name>.hbs`. */
export type MessageName = 'account-provisioned' | 'external-onboarding' | 'temporary-password' | NoticeTemplate;

export interface RenderedMessage {
  subject: string;
  text: string;
}

/**
 * Renders a plain-text message template. A template starts with a `Subject: ...` line, then a
 * blank line, then the body. Plain text, so no HTML escaping; values come from the access files.
 */
export function renderMessage(name: MessageName, data: object, dir?: string): RenderedMessage {
  const template = loadTemplate(`${name}.hbs`, { mode: 'text', ...(dir !== undefined ? { dir } : {}) });
  const out = template(data);
  const m = /^Subject:[ \t]*(.*)\r?\n\r?\n([\s\S]*)$/.exec(out);
  if (!m) throw new ConfigError(`the template ${name}.hbs must start with a "Subject: ..." line and a blank line`);
  return { subject: m[1]!.trim(), text: m[2]! };
}
