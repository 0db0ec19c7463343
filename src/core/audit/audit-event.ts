/**
 * The audit log's record format. Events are what git history alone cannot hold: approvals
 * with reviewer and time, rejections, blocked escalations, applies, expiries, locks, drift.
 * The log is append-only and hash-chained: each record carries the SHA-256 of the previous one.
 * No secret (password, token, key) ever goes into an event.
 *
 * To add an event type: add its key and `details` shape to `AuditDetails`, its runtime check to
 * `DETAIL_CHECKS` (check-audit-details.ts; the compiler insists), then let the compiler show every
 * exhaustive `switch` over `record.type` (the report builders) that must say what it means.
 */
import type { LockReason } from '../plan/action.js';
import type { HeldItem } from './compute-approval-holds.js';

/** An error as the log keeps it: a stable code to count and match on, and a message without secrets. */
export interface AuditError {
  code: string;
  message: string;
}

/** One change of a pull request as the log names it. */
export interface AuditChange {
  kind: string;
  subject: string;
  tier: string;
  file?: string;
  /** The person whose access changes (person and grant changes): what an approval covers. */
  person?: string;
  /** The grant as approved (grant changes); the reconciler provisions exactly this (`apply.held`). */
  grant?: { system: string; role: string; expires?: string };
}

/** A widening an approval let through, as `apply.completed` lists it. */
export interface AuditApprovedItem {
  kind: 'account' | 'grant';
  uid: string;
  system?: string;
  role?: string;
  expires?: string;
  introducedBy: string;
  pr: number;
  head: string;
  mergedAs: string;
}

/**
 * The approval check of an apply run (`reconcile.requireApproval`): `held` is what the directory
 * did not get, so the next run knows the state it starts from.
 */
export interface AuditApprovalDetail {
  mode: 'off' | 'unavailable' | 'baseline' | 'checked';
  /** The last applied commit the check started from (`checked`). */
  since?: string;
  held?: HeldItem[];
  approved?: AuditApprovedItem[];
  /** Held, but released by an override. */
  released?: HeldItem[];
}

/** What one action of an apply run did; `done` includes "already in the desired state". */
export interface AuditActionResult {
  type: string;
  subject: string;
  result: 'done' | 'failed' | 'skipped';
  error?: AuditError;
  /** rename-account / rename-group: the new name. */
  to?: string;
  /** create-group / update-members: the uids the group gained and lost (the reconciler's memory of what it provisioned). */
  added?: string[];
  removed?: string[];
}

/** What an apply read its files from: a commit and its tree, or (outside git) no commit, and why. */
export type AuditAppliedSource =
  { commit: string; tree: string; ref: string; uncommittedIgnored: number } | { commit: null; reason: string };

/**
 * The `details` each event type carries, keyed by the event's `type`. Writers (app, reconciler)
 * and readers (reports) agree on exactly these fields. Times are ISO 8601 UTC.
 */
export interface AuditDetails {
  /** An evaluation worth recording (written by tools that record every verdict). */
  'request.evaluated': {
    approved: boolean;
    tier: string;
    changes: AuditChange[];
    /** Levels still missing. */
    missing: string[];
    /** The pull request's author, when known. */
    author?: string;
  };
  /** A reviewer's approval satisfied one level of one change. */
  'level.approved': {
    level: string;
    reviewer: string;
    reviewedAt: string;
    tier: string;
    kind?: string;
    file?: string;
  };
  /** Every level of every change is satisfied. */
  'request.approved': {
    tier: string;
    approvers: Array<{ level: string; reviewer: string; at: string }>;
    changes?: AuditChange[];
    /** The pull request's author (who asked), as GitHub reported it to the app. */
    author?: string;
  };
  /** A pull request merged: `commit` is what GitHub made of `head` on `base` (merge, squash or rebase). */
  'request.merged': { head: string; base: string; mergedBy: string; author?: string; title?: string };
  /** The request was turned down. */
  'request.rejected': {
    /** Free text: the reviewer's words, or `closed without merging`. */
    reason: string;
    reviewer?: string;
    level?: string;
  };
  /** A change that no approval can let through (privilege escalation, SoD, ...). */
  'escalation.blocked': {
    /** The blocking reasons' codes, e.g. `PRIVILEGE_ESCALATION`. */
    reasons: string[];
    file?: string;
    grant?: { system: string; role: string };
    kind?: string;
    line?: number;
  };
  /** An apply run that wrote (or tried to write) every action of its plan. */
  'apply.completed': {
    /** Absent in records written before aac recorded it. */
    source?: AuditAppliedSource;
    actions: AuditActionResult[];
    /** Results by status (`done`, `already`, `failed`, `skipped`) and `actions`, the total. */
    counts: Record<string, number>;
    /** The approval check; absent in records written before aac held unapproved access. */
    approval?: AuditApprovalDetail;
  };
  /** The first apply (or an override after history was lost) adopts the state of `commit` as approved. */
  'apply.baseline': { tree: string; reason: string; override?: { by: string; reason: string } };
  /** A widening not provisioned for want of an approval on the log; `introducedBy` is its commit. */
  'apply.held': HeldItem & { reason: string; description: string };
  /** Holds released by hand: who and why, and what. */
  'apply.override': { by: string; reason: string; released: HeldItem[] };
  /** An apply run that stopped before writing: a guard, a failed read, invalid files. */
  'apply.failed': { source?: AuditAppliedSource; error: AuditError; counts?: Record<string, number> };
  /**
   * A notice was sent (or could not be delivered: `to` empty and `undeliverable` says why). `key`
   * names it once and for all (`expiring:jsmith:crm/sales-rep:2027-06-30:14`), so it is sent at most once.
   */
  'notice.sent': { notice: string; key: string; to: string[]; uid?: string; undeliverable?: string };
  /** A membership removed because the files no longer grant it (a revocation, not drift). */
  'grant.revoked': { system: string; role: string; group: string };
  /** A membership removed because its grant's `expires` passed. */
  'grant.expired': { system: string; role: string; expires: string; group?: string };
  /**
   * An account the reconciler locked. `key`: the entry's stable key, so that a later run knows the
   * lock is aac's and may lift it (records written before it was recorded lack it).
   */
  'account.locked': { uid: string; reason: LockReason; key?: string };
  /** The reconciler lifted a lock it had set. */
  'account.unlocked': { uid: string; key: string };
  /** A membership the files do not declare, reverted. */
  'drift.reverted': { group: string; member: string; action: 'removed' | 'added' };
}

export type AuditEventType = keyof AuditDetails;

/** The fields every event has, whatever its type. */
export interface AuditEventBase {
  /** ISO 8601 UTC time the event happened. */
  time: string;
  /** Who caused it: a GitHub login, or `aac-reconciler` / `aac-app` for automation. */
  actor: string;
  /** Whose access it concerns: a uid, a `system/role`, or a file path. */
  subject?: string;
  /** Pull request number (the request id). */
  pr?: number;
  /** Commit SHA the event refers to (head of the pull request, or the applied commit). */
  commit?: string;
}

/** An event of one type: `switch (event.type)` narrows `details`. */
export type AuditEventOf<T extends AuditEventType> = AuditEventBase & { type: T; details: AuditDetails[T] };

/** What a writer appends: the log adds `seq`, `prev` and `hash`. */
export type AuditEvent = { [T in AuditEventType]: AuditEventOf<T> }[AuditEventType];

/** What the log adds to an event. */
export interface ChainFields {
  /** 1-based position in the log. */
  seq: number;
  /** `hash` of the previous record; 64 zeros for the first. */
  prev: string;
  /** SHA-256 (hex) of the canonical JSON of the record without `hash`. */
  hash: string;
}

export type AuditRecordOf<T extends AuditEventType> = AuditEventOf<T> & ChainFields;

export type AuditRecord = AuditEvent & ChainFields;

/**
 * Where events are appended. Implementations: a local git branch (adapters/git), the GitHub
 * API (adapters/github), a local file, and an in-memory log for tests. `append` is atomic for its batch.
 */
export interface AuditLog {
  append(events: readonly AuditEvent[]): Promise<AuditRecord[]>;
  read(): Promise<AuditRecord[]>;
}

/** Narrows a record list to one type: `recordsOf(records, 'grant.expired')`. */
export function recordsOf<T extends AuditEventType>(records: readonly AuditRecord[], type: T): AuditRecordOf<T>[] {
  return records.filter((r) => r.type === type) as unknown as AuditRecordOf<T>[];
}
