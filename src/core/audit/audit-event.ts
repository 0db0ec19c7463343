/**
 * The audit log's record format. Events are what git history alone cannot hold: approvals
 * with reviewer and time, rejections, blocked escalations, applies, expiries, locks, drift.
 * The log is append-only and hash-chained: each record carries the SHA-256 of the previous one.
 * No secret (password, token, key) ever goes into an event.
 */

export type AuditEventType =
  | 'request.evaluated'
  | 'level.approved'
  | 'request.approved'
  | 'request.rejected'
  | 'escalation.blocked'
  | 'apply.completed'
  | 'apply.failed'
  | 'grant.expired'
  | 'account.locked'
  | 'account.unlocked'
  | 'grant.revoked'
  | 'drift.reverted';

/**
 * The `details` each event type carries. Writers (app, reconciler) and readers (reports) agree
 * on these; extra fields are allowed. Times are ISO 8601 UTC.
 */
export interface AuditDetails {
  'request.evaluated': {
    approved: boolean;
    tier: string;
    changes: Array<{ kind: string; subject: string; tier: string; file?: string }>;
    missing: string[];
  };
  'level.approved': { level: string; reviewer: string; reviewedAt: string; tier: string };
  'request.approved': { tier: string; approvers: Array<{ level: string; reviewer: string; at: string }> };
  'request.rejected': { reason: string; reviewer?: string };
  'escalation.blocked': { reasons: string[]; file?: string; grant?: { system: string; role: string } };
  'apply.completed': {
    actions: Array<{
      type: string;
      subject: string;
      result: 'done' | 'failed' | 'skipped';
      error?: string;
      /** rename-account / rename-group: the new name. */
      to?: string;
      /** create-group / update-members: the uids added to and removed from the group. */
      added?: string[];
      removed?: string[];
    }>;
    counts: Record<string, number>;
  };
  'apply.failed': { error: string; counts?: Record<string, number> };
  'grant.expired': { system: string; role: string; expires: string };
  /** `key`: the entry's stable key, so that a later run knows the lock is aac's (older records lack it). */
  'account.locked': {
    uid: string;
    reason: 'disabled' | 'temporary-password-unchanged' | 'file-removed' | string;
    key?: string;
  };
  /** aac lifted a lock it had set. */
  'account.unlocked': { uid: string; key: string };
  /** A membership aac had provisioned, removed because the files no longer grant it. */
  'grant.revoked': { group: string; member: string };
  'drift.reverted': { group: string; member: string; action: 'removed' | 'added' };
}

/** What a writer appends: the log adds `seq`, `prev` and `hash`. */
export interface AuditEvent {
  /** ISO 8601 UTC time the event happened. */
  time: string;
  type: AuditEventType;
  /** Who caused it: a GitHub login, or `aac-reconciler` / `aac-app` for automation. */
  actor: string;
  /** Whose access it concerns: a uid, a `system/role`, or a file path. */
  subject?: string;
  /** Pull request number (the request id). */
  pr?: number;
  /** Commit SHA the event refers to (head of the pull request, or the applied commit). */
  commit?: string;
  details: Record<string, unknown>;
}

export interface AuditRecord extends AuditEvent {
  /** 1-based position in the log. */
  seq: number;
  /** `hash` of the previous record; 64 zeros for the first. */
  prev: string;
  /** SHA-256 (hex) of the canonical JSON of the record without `hash`. */
  hash: string;
}

/**
 * Where events are appended. Implementations: a local git branch (adapters/git), the GitHub
 * API (adapters/github), and an in-memory log for tests. `append` is atomic for its batch.
 */
export interface AuditLog {
  append(events: readonly AuditEvent[]): Promise<AuditRecord[]>;
  read(): Promise<AuditRecord[]>;
}
