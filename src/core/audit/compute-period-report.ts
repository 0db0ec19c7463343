import { parseDuration } from '../model/time.js';
import { assertNever } from '../plan/action.js';
import type { AuditRecord } from './audit-event.js';
import type { RequestTimeline } from './compute-request-timelines.js';

/** The policy's tiers as far as reports need them: `tiers.<tier>.target` (`24h`, `3d`). */
export type TierTargets = Readonly<Record<string, { target?: string } | undefined>>;

/** Time to provision for one tier, against the policy's target. Hours. */
export interface TierProvisioning {
  tier: string;
  /** The policy's `tiers.<tier>.target` as written (`24h`, `3d`), or null. */
  target: string | null;
  targetHours: number | null;
  requests: number;
  provisioned: number;
  withinTarget: number;
  medianHours: number | null;
  maxHours: number | null;
}

export interface PeriodReport {
  kind: 'report';
  since: string | null;
  until: string | null;
  requests: RequestTimeline[];
  /** Audit events in the period not tied to one request: expiries, locks, drift, failed applies. */
  events: Array<{ time: string; type: string; actor: string; subject: string | null; detail: string }>;
  provisioning: TierProvisioning[];
  /** Merges in the period whose signature is not verified. */
  unverifiedMerges: string[];
}

/**
 * Requests merged (or, unmerged, first seen) in [since, until], the standalone events of the
 * period, and time to provision per tier against the policy's targets. Times are ISO 8601.
 */
export function computePeriodReport(input: {
  timelines: readonly RequestTimeline[];
  records: readonly AuditRecord[];
  tiers: TierTargets | undefined;
  since?: string;
  until?: string;
}): PeriodReport {
  const inRange = (time: string): boolean =>
    (!input.since || Date.parse(time) >= Date.parse(input.since)) &&
    (!input.until || Date.parse(time) <= Date.parse(input.until));
  const requests = input.timelines.filter((t) => inRange(t.merge?.date ?? t.requestedAt));
  const events = input.records.flatMap((r) => {
    const detail = inRange(r.time) ? summarize(r) : undefined;
    return detail === undefined
      ? []
      : [{ time: r.time, type: r.type, actor: r.actor, subject: r.subject ?? null, detail }];
  });
  return {
    kind: 'report',
    since: input.since ?? null,
    until: input.until ?? null,
    requests,
    events,
    provisioning: computeTierProvisioning(requests, input.tiers),
    unverifiedMerges: requests.flatMap((t) => (t.merge && !t.merge.signature.verified ? [t.merge.commit] : [])),
  };
}

/** Per tier of the policy (in its order), then any other tier seen: counts, median and worst time to provision. */
export function computeTierProvisioning(
  requests: readonly RequestTimeline[],
  targets: TierTargets | undefined,
): TierProvisioning[] {
  const tiers = [...Object.keys(targets ?? {})];
  for (const r of requests) if (r.tier && !tiers.includes(r.tier)) tiers.push(r.tier);
  return tiers.map((tier) => {
    const target = targets?.[tier]?.target ?? null;
    const ms = target ? parseDuration(target) : undefined;
    const targetHours = ms === undefined ? null : ms / 3_600_000;
    const mine = requests.filter((r) => r.tier === tier);
    const hours = mine
      .map((r) => r.hoursToProvision)
      .filter((h): h is number => h !== null)
      .sort((a, b) => a - b);
    return {
      tier,
      target,
      targetHours,
      requests: mine.length,
      provisioned: hours.length,
      withinTarget: targetHours === null ? hours.length : hours.filter((h) => h <= targetHours).length,
      medianHours:
        hours.length === 0
          ? null
          : hours.length % 2 === 1
            ? hours[(hours.length - 1) / 2]!
            : (hours[hours.length / 2 - 1]! + hours[hours.length / 2]!) / 2,
      maxHours: hours.at(-1) ?? null,
    };
  });
}

/** The one-line summary of an event the period report lists on its own; undefined for the others (requests and applies have their own tables). */
function summarize(r: AuditRecord): string | undefined {
  switch (r.type) {
    case 'grant.expired':
      return `${r.details.system}/${r.details.role} expired ${r.details.expires}`;
    case 'account.locked':
      return `locked: ${r.details.reason}`;
    case 'account.unlocked':
      return 'unlocked (a lock aac had set)';
    case 'drift.reverted':
      return `${r.details.action} ${r.details.member} in ${r.details.group}`;
    case 'apply.failed':
      return `${r.details.error.code}: ${r.details.error.message}`;
    case 'notice.sent':
      return `${r.details.notice} sent to ${r.details.to.join(', ') || `nobody (${r.details.undeliverable ?? 'no address'})`}`;
    case 'grant.revoked':
      return `${r.details.system}/${r.details.role} revoked (removed from ${r.details.group})`;
    case 'apply.held':
      return `held for want of an approval: ${r.details.description} (introduced by ${r.details.introducedBy.slice(0, 12)})`;
    case 'apply.override':
      return `${r.details.released.length} held change(s) released by ${r.details.by}: ${r.details.reason}`;
    case 'apply.baseline':
      return `approved baseline adopted: ${r.details.reason}`;
    case 'request.evaluated':
    case 'level.approved':
    case 'request.approved':
    case 'request.rejected':
    case 'request.merged':
    case 'escalation.blocked':
    case 'apply.completed':
      return undefined;
    default:
      return assertNever(r);
  }
}
