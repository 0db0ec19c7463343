/** Someone a notice about a pull request goes to. */
export interface NoticeRecipient {
  name: string;
  email: string;
  /** Why they get it: they asked, or they sponsor the external person whose access was refused. */
  role: 'requester' | 'sponsor';
}

/** A rejected access request, as the people concerned are told about it. */
export interface RejectionNotice {
  /** The pull request number (the request id) and where it lives. */
  pr: number;
  repository: string;
  to: NoticeRecipient[];
  rejectedBy: string;
  level: string;
  /** The reviewer's words ('' when none were given). */
  reason: string;
  /** What was asked, one line per change (`grant-added jsmith crm/admin`). */
  changes: string[];
}

/** Tells the requester (and an external person's sponsor) that a request was rejected, and why. */
export interface RequestNotifier {
  notifyRequestRejected(notice: RejectionNotice): Promise<void>;
}
