import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { NewAccount, Notice, Notifier } from '../../core/notify/notifier.js';
import { renderMessage } from './render-message.js';

export interface SmtpNotifierOptions {
  /** `smtp://[user:pass@]host:port` or `smtps://...` (AAC_SMTP_URL). */
  url: string;
  /** Sender address (AAC_SMTP_FROM). */
  from: string;
  /** Template folder (default: the repository's `templates/`). */
  templatesDir?: string;
  /** Address that hands over the password of someone with no manager or sponsor (AAC_SMTP_HANDOVER_FALLBACK). */
  handoverFallback?: string;
}

/**
 * Sends notifications by SMTP (nodemailer). For a new account: the person gets the
 * account-provisioned message (externals: the onboarding message) without the password; the
 * manager or sponsor gets the temporary password to hand over out of band.
 */
export class SmtpNotifier implements Notifier {
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpNotifierOptions) {
    this.transport = nodemailer.createTransport(options.url);
  }

  async notifyAccountCreated(account: NewAccount, temporaryPassword: string): Promise<void> {
    const p = account.provisioning;
    const fallback = this.options.handoverFallback;
    const handover =
      p.handoverTo ??
      (fallback === undefined
        ? undefined
        : { uid: '', name: 'service desk', email: fallback, role: 'service desk' as const });
    // Without someone to hand the password to, it must not be sent at all, least of all to the person.
    if (!handover)
      throw new Error(
        `${account.uid} has no ${p.type === 'external' ? 'sponsor' : 'manager'} to hand the temporary password to, and AAC_SMTP_HANDOVER_FALLBACK is not set`,
      );
    const data = { uid: account.uid, name: p.name, email: p.email, type: p.type, systems: p.systems, handover };
    const welcome = renderMessage(
      p.type === 'external' ? 'external-onboarding' : 'account-provisioned',
      data,
      this.options.templatesDir,
    );
    await this.transport.sendMail({
      from: this.options.from,
      to: p.email,
      subject: welcome.subject,
      text: welcome.text,
    });
    const secret = renderMessage(
      'temporary-password',
      { ...data, password: temporaryPassword },
      this.options.templatesDir,
    );
    await this.transport.sendMail({
      from: this.options.from,
      to: handover.email,
      subject: secret.subject,
      text: secret.text,
    });
  }

  async send(notice: Notice): Promise<void> {
    if (notice.to.length === 0) return;
    const message = renderMessage(notice.template, notice.data, this.options.templatesDir);
    await this.transport.sendMail({
      from: this.options.from,
      to: notice.to,
      subject: message.subject,
      text: message.text,
    });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
