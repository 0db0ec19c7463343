import type { PersonReport } from './compute-person-report.js';
import type { PeriodReport, TierProvisioning, TierTargets } from './compute-period-report.js';
import { computeTierProvisioning } from './compute-period-report.js';
import type { ApprovalStep, CommitView, RequestTimeline } from './compute-request-timelines.js';
import type { SystemReport } from './compute-system-report.js';

export interface ReportTable {
  title: string;
  columns: string[];
  rows: string[][];
}

/** Geometry of the time-to-provision chart, in SVG user units; the template only draws it. */
export interface ProvisioningChart {
  width: number;
  height: number;
  axis: { x: number; y: number; width: number; ticks: Array<{ x: number; label: string }> };
  rows: Array<{
    tier: string;
    y: number;
    labelY: number;
    median: { x: number; width: number; label: string } | null;
    max: { x: number } | null;
    target: { x: number; label: string } | null;
    summary: string;
    late: boolean;
  }>;
}

/** Any report as title, summary, tables and (for requests with tiers) a chart: one shape for Markdown, CSV and HTML. */
export interface ReportView {
  title: string;
  summary: Array<{ label: string; value: string }>;
  tables: ReportTable[];
  chart: ProvisioningChart | null;
  provisioning: TierProvisioning[];
}

export type AnyReport = PersonReport | SystemReport | PeriodReport;

const approvals = (steps: readonly ApprovalStep[]): string =>
  steps.map((s) => `${s.level}: ${s.decision} by ${s.approver} at ${s.date}`).join('; ');
const signature = (m: CommitView | null): string =>
  m ? `${m.signature.verified ? 'verified' : 'NOT verified'} (${m.signature.by})` : '';
const short = (sha: string | null | undefined): string => (sha ? sha.slice(0, 12) : '');
const request = (id: number | null): string => (id === null ? 'direct commit' : `#${id}`);

/** The view of a report; `tiers` (the policy's) give the targets for the chart. */
export function computeReportView(report: AnyReport, tiers: TierTargets | undefined): ReportView {
  if (report.kind === 'person') {
    const provisioning = computeTierProvisioning(
      report.accessRecords.map(
        (r) =>
          ({
            tier: r.tier,
            hoursToProvision: hoursOf(r.requestedAt, r.systemsProvisioned[0]?.date ?? null),
          }) as RequestTimeline,
      ),
      tiers,
    );
    return {
      title: `Access of ${report.uid}${report.name ? ` (${report.name})` : ''}`,
      summary: [
        { label: 'status', value: report.status },
        { label: 'type', value: report.type ?? '' },
        { label: 'manager', value: report.manager ?? '' },
        ...(report.org
          ? [
              { label: 'organization', value: report.org },
              { label: 'sponsor', value: report.sponsor ?? '' },
            ]
          : []),
        { label: 'requests', value: String(report.accessRecords.length) },
      ],
      tables: [
        {
          title: 'Access records',
          columns: [
            'request',
            'requester',
            'requested at',
            'changes',
            'tier',
            'approval chain',
            'security review',
            'merge commit',
            'signature',
            'systems provisioned',
            'systems revoked',
            'status',
          ],
          rows: report.accessRecords.map((r) => [
            request(r.requestId),
            r.requester,
            r.requestedAt,
            r.changes.map((c) => ('system' in c ? `${c.change} ${c.system}/${c.role}` : c.change)).join('; '),
            r.tier ?? '',
            approvals(r.approvalChain),
            r.securityReview
              ? `${r.securityReview.decision} by ${r.securityReview.approver} at ${r.securityReview.date}`
              : '',
            short(r.merge?.commit),
            signature(r.merge),
            r.systemsProvisioned.map((s) => `${s.system}/${s.accessLevel} at ${s.date ?? 'not yet'}`).join('; '),
            r.systemsRevoked.map((s) => `${s.system}/${s.accessLevel} at ${s.date ?? 'not yet'}`).join('; '),
            r.status,
          ]),
        },
        {
          title: 'Current access',
          columns: ['system', 'access level', 'group', 'privileged', 'expires', 'request', 'since'],
          rows: report.currentAccess.map((a) => [
            a.system,
            a.accessLevel,
            a.group ?? '',
            a.privileged ? 'yes' : 'no',
            a.expires ?? '',
            a.requestId === null ? '' : `#${a.requestId}`,
            a.since ?? '',
          ]),
        },
        {
          title: 'Timeline',
          columns: ['time', 'event', 'request', 'commit', 'actor', 'detail'],
          rows: report.timeline.map((e) => [
            e.time,
            e.event,
            e.requestId === null ? '' : `#${e.requestId}`,
            short(e.commit),
            e.actor,
            e.detail,
          ]),
        },
      ],
      chart: computeProvisioningChart(provisioning),
      provisioning,
    };
  }
  if (report.kind === 'system') {
    return {
      title: `Access to ${report.id}${report.name ? ` (${report.name})` : ''}`,
      summary: [
        { label: 'risk', value: report.risk ?? '' },
        { label: 'owners', value: report.owners.join(', ') },
        { label: 'holders', value: String(new Set(report.roles.flatMap((r) => r.holders)).size) },
      ],
      tables: [
        {
          title: 'Access changes',
          columns: [
            'request',
            'person',
            'change',
            'access level',
            'requester',
            'approval chain',
            'merge commit',
            'signature',
            'applied at',
            'status',
          ],
          rows: report.accessChanges.map((c) => [
            request(c.requestId),
            c.uid,
            c.change,
            c.accessLevel,
            c.requester,
            approvals(c.approvalChain),
            short(c.merge?.commit),
            signature(c.merge),
            c.appliedAt ?? '',
            c.status,
          ]),
        },
        {
          title: 'Roles and holders',
          columns: ['role', 'group', 'privileged', 'external', 'holders'],
          rows: report.roles.map((r) => [
            r.role,
            r.group,
            r.privileged ? 'yes' : 'no',
            r.external ? 'yes' : 'no',
            r.holders.join(', '),
          ]),
        },
        {
          title: 'Changes to the system definition',
          columns: ['request', 'commit', 'date', 'status'],
          rows: report.definitionChanges.map((d) => [request(d.requestId), short(d.commit), d.date, d.status]),
        },
      ],
      chart: null,
      provisioning: [],
    };
  }
  return {
    title: `Access requests${report.since ? ` since ${report.since}` : ''}${report.until ? ` until ${report.until}` : ''}`,
    summary: [
      { label: 'requests', value: String(report.requests.length) },
      { label: 'provisioned', value: String(report.requests.filter((r) => r.status === 'provisioned').length) },
      { label: 'merges not verified', value: String(report.unverifiedMerges.length) },
      ...report.provisioning.map((p) => ({
        label: `${p.tier} within target (${p.target ?? 'none'})`,
        value: `${p.withinTarget} of ${p.provisioned}`,
      })),
    ],
    tables: [
      {
        title: 'Requests',
        columns: [
          'request',
          'requester',
          'requested at',
          'tier',
          'approval chain',
          'merge commit',
          'merged at',
          'signature',
          'provisioned at',
          'hours to provision',
          'status',
          'files',
        ],
        rows: report.requests.map((r) => [
          request(r.requestId),
          r.requester,
          r.requestedAt,
          r.tier ?? '',
          approvals(r.approvalChain),
          short(r.merge?.commit),
          r.merge?.date ?? '',
          signature(r.merge),
          r.provisionedAt ?? '',
          r.hoursToProvision === null ? '' : String(r.hoursToProvision),
          r.status,
          r.files.map((f) => `${f.status} ${f.path}`).join('; '),
        ]),
      },
      {
        title: 'Other events',
        columns: ['time', 'event', 'actor', 'subject', 'detail'],
        rows: report.events.map((e) => [e.time, e.type, e.actor, e.subject ?? '', e.detail]),
      },
    ],
    chart: computeProvisioningChart(report.provisioning),
    provisioning: report.provisioning,
  };
}

function hoursOf(from: string, to: string | null): number | null {
  return to === null ? null : Math.round(((Date.parse(to) - Date.parse(from)) / 3_600_000) * 100) / 100;
}

/** Bars of median time to provision per tier, a mark at the worst case, and the target line; null without tiers. */
export function computeProvisioningChart(tiers: readonly TierProvisioning[]): ProvisioningChart | null {
  if (tiers.length === 0) return null;
  const width = 720;
  const left = 110;
  const plot = width - left - 30;
  const rowHeight = 56;
  const top = 20;
  const most = Math.max(1, ...tiers.flatMap((t) => [t.targetHours ?? 0, t.maxHours ?? 0]));
  const scale = plot / (most * 1.1);
  const x = (h: number): number => Math.round((left + h * scale) * 10) / 10;
  const step = niceStep(most * 1.1);
  const ticks: ProvisioningChart['axis']['ticks'] = [];
  for (let h = 0; h <= most * 1.1; h += step)
    ticks.push({ x: x(h), label: h >= 48 && h % 24 === 0 ? `${h / 24}d` : `${h}h` });
  const rows = tiers.map((t, i) => {
    const y = top + i * rowHeight;
    return {
      tier: t.tier,
      y: y + 10,
      labelY: y + 27,
      median:
        t.medianHours === null
          ? null
          : { x: left, width: Math.max(1, x(t.medianHours) - left), label: `median ${t.medianHours}h` },
      max: t.maxHours === null ? null : { x: x(t.maxHours) },
      target: t.targetHours === null ? null : { x: x(t.targetHours), label: `target ${t.target}` },
      summary: `${t.withinTarget} of ${t.provisioned} within target`,
      late: t.targetHours !== null && t.maxHours !== null && t.maxHours > t.targetHours,
    };
  });
  const axisY = top + tiers.length * rowHeight;
  return { width, height: axisY + 40, axis: { x: left, y: axisY, width: plot, ticks }, rows };
}

function niceStep(range: number): number {
  for (const s of [1, 2, 4, 6, 12, 24, 48, 72, 168, 336, 720]) if (range / s <= 8) return s;
  return Math.ceil(range / 8 / 720) * 720;
}
