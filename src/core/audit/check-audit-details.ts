import type { AuditEventType } from './audit-event.js';
import { LOCK_REASONS } from '../plan/action.js';

/**
 * Runtime checks of each event type's `details`, so that a record read back from the log is
 * what its type says before any report relies on it. Keyed by every `AuditEventType`: a new
 * event type does not compile until it has its check here.
 */
type Check = (value: unknown) => boolean;

const isString: Check = (v) => typeof v === 'string';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isBoolean: Check = (v) => typeof v === 'boolean';
const oneOf =
  (...values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);
const arrayOf =
  (item: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(item);
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const recordOf =
  (value: Check): Check =>
  (v) =>
    isPlainObject(v) && Object.values(v).every(value);

/** An object with at least these fields, each passing its check (extra fields are allowed: they are hashed too). */
function shape(fields: Readonly<Record<string, Check>>): Check {
  return (v) => isPlainObject(v) && Object.entries(fields).every(([key, check]) => check(v[key]));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const error = shape({ code: isString, message: isString });
const isNull: Check = (v) => v === null;
const source: Check = (v) =>
  shape({ commit: isString, tree: isString, ref: isString, uncommittedIgnored: isNumber })(v) ||
  shape({ commit: isNull, reason: isString })(v);
const grantForm = shape({ system: isString, role: isString, expires: optional(isString) });
const change = shape({
  kind: isString,
  subject: isString,
  tier: isString,
  file: optional(isString),
  person: optional(isString),
  grant: optional(grantForm),
});
const heldItem: Check = (v) =>
  shape({
    kind: oneOf('account'),
    uid: isString,
    introducedBy: isString,
    baseline: (b) => b === null || shape({ status: isString })(b),
  })(v) ||
  shape({
    kind: oneOf('grant'),
    uid: isString,
    system: isString,
    role: isString,
    expires: optional(isString),
    introducedBy: isString,
    baseline: (b) => b === null || shape({ expires: optional(isString) })(b),
  })(v);
const approval = shape({
  mode: oneOf('off', 'unavailable', 'baseline', 'checked'),
  since: optional(isString),
  held: optional(arrayOf(heldItem)),
  approved: optional(
    arrayOf(
      shape({
        kind: oneOf('account', 'grant'),
        uid: isString,
        introducedBy: isString,
        pr: isNumber,
        head: isString,
        mergedAs: isString,
      }),
    ),
  ),
  released: optional(arrayOf(heldItem)),
});

const DETAIL_CHECKS: { readonly [T in AuditEventType]: Check } = {
  'request.evaluated': shape({
    approved: isBoolean,
    tier: isString,
    changes: arrayOf(change),
    missing: arrayOf(isString),
    author: optional(isString),
  }),
  'level.approved': shape({
    level: isString,
    reviewer: isString,
    reviewedAt: isString,
    tier: isString,
    kind: optional(isString),
    file: optional(isString),
  }),
  'request.approved': shape({
    tier: isString,
    approvers: arrayOf(shape({ level: isString, reviewer: isString, at: isString })),
    changes: optional(arrayOf(change)),
    author: optional(isString),
  }),
  'request.merged': shape({
    head: isString,
    base: isString,
    mergedBy: isString,
    author: optional(isString),
    title: optional(isString),
  }),
  'request.rejected': shape({ reason: isString, reviewer: optional(isString), level: optional(isString) }),
  'escalation.blocked': shape({
    reasons: arrayOf(isString),
    file: optional(isString),
    grant: optional(shape({ system: isString, role: isString })),
    kind: optional(isString),
    line: optional(isNumber),
  }),
  'apply.completed': shape({
    source: optional(source),
    actions: arrayOf(
      shape({
        type: isString,
        subject: isString,
        result: oneOf('done', 'failed', 'skipped'),
        error: optional(error),
        to: optional(isString),
        added: optional(arrayOf(isString)),
        removed: optional(arrayOf(isString)),
      }),
    ),
    counts: recordOf(isNumber),
    approval: optional(approval),
  }),
  'apply.baseline': shape({
    tree: isString,
    reason: isString,
    override: optional(shape({ by: isString, reason: isString })),
  }),
  'apply.held': (v) => heldItem(v) && shape({ reason: isString, description: isString })(v),
  'apply.override': shape({ by: isString, reason: isString, released: arrayOf(heldItem) }),
  'apply.failed': shape({ source: optional(source), error, counts: optional(recordOf(isNumber)) }),
  'notice.sent': shape({
    notice: isString,
    key: isString,
    to: arrayOf(isString),
    uid: optional(isString),
    undeliverable: optional(isString),
  }),
  'grant.revoked': shape({ system: isString, role: isString, group: isString }),
  'grant.expired': shape({ system: isString, role: isString, expires: isString, group: optional(isString) }),
  'account.locked': shape({ uid: isString, reason: oneOf(...LOCK_REASONS), key: optional(isString) }),
  'account.unlocked': shape({ uid: isString, key: isString }),
  'drift.reverted': shape({ group: isString, member: isString, action: oneOf('removed', 'added') }),
};

/** Whether `type` is an event type this version of aac knows. */
export function isAuditEventType(type: string): type is AuditEventType {
  return Object.hasOwn(DETAIL_CHECKS, type);
}

/**
 * Why `details` is not what events of `type` carry, or undefined when it is.
 * @example checkAuditDetails('account.locked', { uid: 'ekim', reason: 'disabled' }) // undefined
 */
export function checkAuditDetails(type: string, details: unknown): string | undefined {
  if (!isAuditEventType(type)) return `unknown event type "${type}"`;
  return DETAIL_CHECKS[type](details) ? undefined : `its details are not those of a ${type} event`;
}
