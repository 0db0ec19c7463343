import { SmtpNotifier } from '../../adapters/notify/smtp-notifier.js';
import { loadConfig } from '../../config.js';

/** With AAC_SMTP_URL set, rejections are mailed to the requester (and an external's sponsor); else nobody is. */
export function createNotifierFor(env: NodeJS.ProcessEnv): SmtpNotifier | undefined {
  const smtp = loadConfig(env).smtp;
  return smtp ? new SmtpNotifier({ url: smtp.url, from: smtp.from }) : undefined;
}
