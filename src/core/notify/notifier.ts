import type { Provisioning } from '../plan/action.js';

/** A new account, as the notifier needs it. */
export interface NewAccount {
  uid: string;
  provisioning: Provisioning;
}

/** Messages besides a new account's, each a template `templates/<name>.hbs`. */
export type NoticeTemplate =
  'account-deprovisioned' | 'grant-expiring' | 'manager-review' | 'service-desk-follow-up' | 'recertification-reminder';

/** One message to send: the template, the addresses, and the values it shows (never a secret). */
export interface Notice {
  template: NoticeTemplate;
  to: string[];
  data: Record<string, unknown>;
}

/**
 * Tells people about changes to their access. The only receiver of a temporary password: it
 * goes to the person's manager (or, for externals, their sponsor) for hand-over out of band,
 * never to the person's own mailbox, a log, the plan or the audit log.
 */
export interface Notifier {
  /** Sends the account-provisioned (or external onboarding) message and the password hand-over message. */
  notifyAccountCreated(account: NewAccount, temporaryPassword: string): Promise<void>;
  /** Sends one notice (a disable to the supervisor, an expiry warning, a reminder). */
  send(notice: Notice): Promise<void>;
  close(): Promise<void>;
}
