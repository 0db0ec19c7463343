/**
 * Operational errors: thrown, few, and mapped to exit codes or check conclusions by each entry
 * point's single top-level catch. Problems in user files are Diagnostics, never these.
 * Messages never contain secrets.
 */

/** Bad command line: unknown command, flag or value. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Missing or invalid configuration (environment, files the command needs). Exit code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Something on disk or in git could not be read. Exit code 2. */
export class InputError extends Error {
  override name = 'InputError';
}

/**
 * Why a git command failed, recognised exactly from git's exit status and its (LC_ALL=C) message:
 * `not-a-repository`, `no-commits` and `unknown-revision` (a branch that does not exist yet) are
 * the expected cases a caller may handle; `cannot-run`
 * (git missing, bad working folder) and `failed` (anything else) must stop the command.
 */
export type GitErrorCode = 'cannot-run' | 'not-a-repository' | 'no-commits' | 'unknown-revision' | 'failed';

/**
 * A git command failed. Carries the arguments' subcommand, the exit status and git's standard
 * error so that callers recognise the one case they expect and let every other failure through
 * (a git error never means "no history"). An InputError, so entry points map it to exit code 2.
 */
export class GitError extends InputError {
  override name = 'GitError';
  readonly code: GitErrorCode;
  /** git's exit status; undefined when git could not be started. */
  readonly exitCode: number | undefined;
  readonly stderr: string;
  constructor(
    message: string,
    details: { code: GitErrorCode; exitCode?: number; stderr?: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = details.code;
    this.exitCode = details.exitCode;
    this.stderr = details.stderr ?? '';
  }
}

/** A bug: something that should not happen. Exit code 70. */
export class InternalError extends Error {
  override name = 'InternalError';
}

/** Why a directory operation failed; tests and callers check this, never the message. */
export type DirectoryErrorCode =
  | 'connect-failed'
  | 'bind-failed'
  | 'connection-lost'
  | 'read-failed'
  | 'size-limit'
  | 'short-read'
  /** An ACL hides entries or attributes the plan depends on. */
  | 'not-visible'
  /** A group member value points into the people OU at no entry. */
  | 'dangling-member'
  /** The entry a write meets is not the one aac wanted (another object class, another person). */
  | 'conflict'
  | 'write-failed'
  | 'file-corrupt'
  | 'save-failed';

/**
 * The directory could not be read or written. `cause` is the underlying error (an ldapts
 * `ResultCodeError` subclass, a socket error); neither message ever holds the bind password.
 */
export class DirectoryError extends Error {
  override name = 'DirectoryError';
  readonly code: DirectoryErrorCode;
  constructor(code: DirectoryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * An audit event carried something that looks like a secret (a `password`/`token`/`privateKey`
 * key, or a value shaped like a private key or access token). `paths` name where, e.g.
 * `events[0].details.password`; the values themselves are never repeated. Exit code 70.
 */
export class AuditSecretError extends Error {
  override name = 'AuditSecretError';
  constructor(readonly paths: readonly string[]) {
    super(`refusing to write secret-looking fields to the audit log: ${paths.join(', ')}`);
  }
}

/** The audit log could not be appended to: the branch kept moving, or its content is not a valid log. Exit code 2. */
export class AuditLogError extends Error {
  override name = 'AuditLogError';
}

/**
 * The reconciler cannot tell what was approved (the last applied commit is gone from history, say),
 * so it applies nothing rather than guess. Exit code 1, like any check that failed.
 */
export class ApprovalHoldError extends Error {
  override name = 'ApprovalHoldError';
  readonly code: 'unknown-baseline';
  constructor(code: 'unknown-baseline', message: string) {
    super(message);
    this.code = code;
  }
}

/** A GitHub API call failed. `status` is the HTTP status when there was a response. Never carries a token. */
export class GitHubError extends Error {
  override name = 'GitHubError';
  readonly status: number | undefined;
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}
