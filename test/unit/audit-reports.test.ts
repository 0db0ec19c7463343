import { describe, expect, it } from 'vitest';
import type { AuditEvent, AuditRecord } from '../../src/core/audit/audit-event.js';
import { computeAccessOverview } from '../../src/core/audit/compute-access-overview.js';
import { computeEvidence } from '../../src/core/audit/compute-evidence.js';
import { computePeriodReport, computeTierProvisioning } from '../../src/core/audit/compute-period-report.js';
import { computeProvisioningChart } from '../../src/core/audit/compute-report-view.js';
import type { ReportView } from '../../src/core/audit/compute-report-view.js';
import { computeRequestTimelines } from '../../src/core/audit/compute-request-timelines.js';
import type { RequestTimeline } from '../../src/core/audit/compute-request-timelines.js';
import { formatReportCsv, formatReportMarkdown } from '../../src/core/audit/format-report-view.js';

import { verifyAuditTrail } from '../../src/core/audit/verify-audit-trail.js';
import { auditEvent, chain, sha256 } from '../helpers/audit-events.js';
import { commit, GITHUB } from '../helpers/history-builders.js';
import { person, validateWith } from '../helpers/sample-tree.js';

const at = (time: string) => ({ ...GITHUB, time });
const people = (uid: string) => [{ status: 'M', path: `access/people/${uid}.yaml` }];
const apply = (time: string, commitSha?: string, failed = false): AuditEvent =>
  auditEvent('apply.completed', {
    time,
    actor: 'aac-reconciler',
    ...(commitSha ? { commit: commitSha } : {}),
    details: {
      actions: [{ type: 'update-members', subject: 'crm-sales-reps', result: failed ? 'failed' : 'done' }],
      counts: {},
    },
  });
const approve = (pr: number, time: string, level = 'manager', reviewer = 'mjohnson-ex'): AuditEvent =>
  auditEvent('level.approved', {
    time,
    actor: reviewer,
    pr,
    subject: 'jsmith',
    details: { level, reviewer, reviewedAt: time, tier: 'elevated' },
  });
const evaluated = (pr: number, time: string, tier: string, author?: string): AuditEvent =>
  auditEvent('request.evaluated', {
    time,
    actor: 'aac-app',
    pr,
    details: { approved: false, tier, changes: [], missing: [], ...(author ? { author } : {}) },
  });

// main: m2 (#2, merged 11-03) <- m1 (#1, merged 11-02) <- root; each with one branch commit.
const history = [
  commit('m2', {
    parents: ['m1', 'b2'],
    subject: 'Merge pull request #2 from kpatel-ciso/x',
    committer: at('2026-11-03T10:00:00Z'),
    files: people('alee'),
  }),
  commit('b2', { parents: ['m1'], time: '2026-11-03T08:00:00Z' }),
  commit('m1', {
    parents: ['root', 'b1'],
    subject: 'Merge pull request #1 from jsmith-ex/x',
    committer: at('2026-11-02T10:00:00Z'),
    files: people('jsmith'),
  }),
  commit('b1', { parents: ['root'], time: '2026-11-02T08:00:00Z' }),
  commit('root', { time: '2026-11-01T00:00:00Z', files: [{ status: 'A', path: 'access/policy.yaml' }] }),
];
const records = (events: AuditEvent[]): AuditRecord[] => chain(undefined, events);

describe('computeRequestTimelines', () => {
  it('joins approvals and the first completed apply at or after each merge, by commit or by time', () => {
    const timelines = computeRequestTimelines(
      history,
      records([
        evaluated(1, '2026-11-02T08:30:00Z', 'standard', 'jsmith-ex'),
        approve(1, '2026-11-02T09:00:00Z'),
        apply('2026-11-02T11:00:00Z', 'm1', true), // failed action: not provisioned yet
        apply('2026-11-02T12:00:00Z'), // no commit: placed by time, after m1
        evaluated(2, '2026-11-03T08:10:00Z', 'elevated'),
        approve(2, '2026-11-03T09:00:00Z', 'it-security', 'secops'),
        apply('2026-11-05T10:00:00Z', 'm2'),
        auditEvent('request.rejected', {
          time: '2026-11-04T00:00:00Z',
          actor: 'kpatel-ciso',
          pr: 3,
          details: { reason: 'no', reviewer: 'kpatel-ciso' },
        }),
        auditEvent('escalation.blocked', {
          time: '2026-11-04T00:00:00Z',
          actor: 'aac-app',
          pr: 4,
          details: { reasons: ['SoD'] },
        }),
        evaluated(5, '2026-11-04T00:00:00Z', 'standard'),
      ]),
    );
    const byId = new Map(timelines.map((t) => [t.requestId, t]));
    expect(timelines.map((t) => [t.requestId, t.status])).toEqual([
      [2, 'provisioned'],
      [1, 'provisioned'],
      [null, 'provisioned'],
      [3, 'rejected'],
      [4, 'blocked'],
      [5, 'pending'],
    ]);
    expect(byId.get(1)).toMatchObject({
      requester: 'jsmith-ex',
      requestedAt: '2026-11-02T08:00:00Z',
      tier: 'standard',
      provisionedAt: '2026-11-02T12:00:00Z',
      hoursToProvision: 4,
    });
    expect(byId.get(1)!.applies.map((a) => [a.result, a.failed])).toEqual([
      ['completed', ['update-members crm-sales-reps']],
      ['completed', []],
    ]);
    expect(byId.get(2)).toMatchObject({
      tier: 'elevated',
      securityReview: { level: 'it-security', approver: 'secops' },
      hoursToProvision: 50,
    });
    expect(byId.get(2)!.commits.map((c) => c.commit)).toEqual(['b2']);
    // No record names #2's author: "from kpatel-ciso/x" in the merge message is not taken for it.
    expect(byId.get(2)!.requester).toBe('unknown');
    expect(byId.get(null)!.requester).toBe('unknown');
  });

  it('lists each level once, with the changes it covers, and compares times as times', () => {
    const twice = (time: string, subject: string): AuditEvent =>
      auditEvent('level.approved', {
        time,
        actor: 'mjohnson-ex',
        pr: 1,
        subject,
        details: { level: 'manager', reviewer: 'mjohnson-ex', reviewedAt: time, tier: 'standard', kind: 'grant-added' },
      });
    const [t] = computeRequestTimelines(
      history,
      records([
        twice('2026-11-02T09:00:00.500Z', 'jsmith'),
        twice('2026-11-02T09:00:00.500Z', 'alee'),
        approve(1, '2026-11-02T09:00:00Z', 'it-security', 'secops'),
      ]),
    ).filter((x) => x.requestId === 1);
    expect(t!.approvalChain.map((s) => [s.level, s.approver, s.covers])).toEqual([
      ['it-security', 'secops', ['change jsmith']],
      ['manager', 'mjohnson-ex', ['grant-added jsmith', 'grant-added alee']],
    ]);
  });
});

describe('time to provision per tier', () => {
  const t = (tier: string, hours: number | null) => ({ tier, hoursToProvision: hours }) as RequestTimeline;
  const tiers = { standard: { target: '24h' }, elevated: { target: '3d' }, privileged: { target: '7d' } };

  it('counts, takes the median and the worst case, and compares with each target', () => {
    expect(
      computeTierProvisioning(
        [
          t('standard', 2),
          t('standard', 30),
          t('standard', 10),
          t('elevated', 80),
          t('elevated', null),
          t('emergency', 1),
        ],
        tiers,
      ),
    ).toEqual([
      {
        tier: 'standard',
        target: '24h',
        targetHours: 24,
        requests: 3,
        provisioned: 3,
        withinTarget: 2,
        medianHours: 10,
        maxHours: 30,
      },
      {
        tier: 'elevated',
        target: '3d',
        targetHours: 72,
        requests: 2,
        provisioned: 1,
        withinTarget: 0,
        medianHours: 80,
        maxHours: 80,
      },
      {
        tier: 'privileged',
        target: '7d',
        targetHours: 168,
        requests: 0,
        provisioned: 0,
        withinTarget: 0,
        medianHours: null,
        maxHours: null,
      },
      {
        tier: 'emergency',
        target: null,
        targetHours: null,
        requests: 1,
        provisioned: 1,
        withinTarget: 1,
        medianHours: 1,
        maxHours: 1,
      },
    ]);
  });

  it('draws targets in proportion and marks a tier whose worst case is late', () => {
    const chart = computeProvisioningChart(computeTierProvisioning([t('standard', 30), t('standard', 6)], tiers))!;
    const [standard, elevated, privileged] = chart.rows;
    const left = chart.axis.x;
    expect((elevated!.target!.x - left) / (standard!.target!.x - left)).toBeCloseTo(3, 1);
    expect((privileged!.target!.x - left) / (standard!.target!.x - left)).toBeCloseTo(7, 1);
    expect(standard!.late).toBe(true);
    expect(standard!.median!.width).toBeCloseTo(((standard!.target!.x - left) * 18) / 24, 0);
    expect(elevated!.median).toBeNull();
  });

  it('keeps only requests merged (or first seen) in the period', () => {
    const timelines = computeRequestTimelines(history, []);
    const report = computePeriodReport({
      timelines,
      records: [],
      tiers,
      since: '2026-11-02T00:00:00Z',
      until: '2026-11-02T23:59:59Z',
    });
    expect(report.requests.map((r) => r.requestId)).toEqual([1]);
  });
});

describe('formats', () => {
  const view: ReportView = {
    title: 'T',
    summary: [{ label: 'a|b', value: 'x' }],
    tables: [
      {
        title: 'Main',
        columns: ['c1', 'c2'],
        rows: [
          ['=HYPERLINK("x")', 'a,"b"\nc'],
          ['-1', 'plain'],
        ],
      },
    ],
    chart: null,
    provisioning: [],
  };
  it('CSV quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(formatReportCsv(view)).toBe('c1,c2\r\n"\'=HYPERLINK(""x"")","a,""b""\nc"\r\n\'-1,plain\r\n');
  });
  it('Markdown escapes pipes and newlines in cells', () => {
    const md = formatReportMarkdown(view);
    expect(md).toContain('- **a\\|b**: x');
    expect(md).toContain('| =HYPERLINK("x") | a,"b" c |');
  });
});

describe('computeEvidence', () => {
  it('reports SoD conflicts, self-approval and unsigned commits as gaps, from real data', () => {
    const grants =
      '  - system: financial\n    role: payment-maker\n    justification: Enters supplier payments.\n  - system: financial\n    role: payment-checker\n    justification: Approves supplier payments.\n';
    const { tree, diagnostics } = validateWith({
      'access/people/ekim.yaml': person(
        {
          uid: 'ekim',
          name: 'Eun Kim',
          email: 'eun.kim@example.org',
          type: 'employee',
          department: 'finance',
          manager: 'swhite',
          status: 'active',
        },
        `grants:\n${grants}`,
      ),
    });
    const recs = records([
      evaluated(1, '2026-11-02T08:00:00Z', 'standard', 'jsmith-ex'),
      approve(1, '2026-11-02T09:00:00Z', 'manager', 'jsmith-ex'),
      auditEvent('account.locked', {
        time: '2026-11-03T00:00:00Z',
        actor: 'aac-reconciler',
        subject: 'ekim',
        details: { uid: 'ekim', reason: 'disabled' },
      }),
    ]);
    const unsigned = history.map((c) =>
      c.sha === 'b1' ? { ...c, signature: { status: 'N' as const, key: '', signer: '' } } : c,
    );
    const timelines = computeRequestTimelines(unsigned, recs);
    const controls = computeEvidence({
      tree,
      diagnostics,
      retiredCount: 1,
      verdict: verifyAuditTrail({
        hash: sha256,
        commits: unsigned,
        records: recs,
        places: recs.map((_, i) => ({ file: 'audit/2026-11.jsonl', line: i + 1 })),
        unreadable: [],
      }),
      timelines,
      records: recs,
      overview: computeAccessOverview(tree),
      branch: 'main',
      auditBranch: 'access-audit',
      accessRoot: 'access',
    });
    const byId = new Map(controls.map((c) => [c.control, c]));
    expect(controls.map((c) => c.control)).toEqual([
      '3.1.1',
      '3.1.4',
      '3.1.5',
      '3.1.7',
      '3.3.1',
      '3.3.2',
      '3.3.8',
      '3.5.5',
      '3.5.6',
      '3.5.9',
    ]);
    expect(byId.get('3.1.4')!.gaps.some((g) => g.includes('SOD_CONFLICT'))).toBe(true);
    expect(byId.get('3.1.4')!.gaps).toContain('request #1: jsmith-ex approved their own request at level manager');
    expect(byId.get('3.3.2')!.gaps).toEqual(['commit b1 (commit b1): unsigned: not signed']);
    expect(byId.get('3.3.8')).toMatchObject({ status: 'gaps' });
    expect(byId.get('3.3.1')).toMatchObject({ status: 'evidenced' });
    expect(byId.get('3.5.6')!.tables[0]!.rows).toEqual([['2026-11-03T00:00:00Z', 'ekim', 'disabled']]);
    // Request #2 merged with no approval on the log: a gap of 3.1.1 and 3.1.4, found in the data.
    expect(byId.get('3.1.1')!.gaps).toContain(
      'request #2 merged with no approval on the audit log (Merge pull request #2 from kpatel-ciso/x)',
    );
    // No inactivity check on record, and no account created by aac: not evidenced, and why.
    expect(byId.get('3.5.6')).toMatchObject({ status: 'not evidenced', reason: expect.stringContaining('inactivity') });
    expect(byId.get('3.5.9')).toMatchObject({ status: 'not evidenced' });
  });

  it('can fail where it used to be evidenced by construction: 3.1.4, 3.5.6, 3.5.9', () => {
    const { tree, diagnostics } = validateWith({});
    const disabled = [...tree.people.values()].find((p) => p.value.status === 'disabled')!.value.uid;
    const recs = records([
      apply('2026-11-02T12:00:00Z', 'm1'),
      auditEvent('notice.sent', {
        time: '2026-11-02T12:00:00Z',
        actor: 'aac-reconciler',
        subject: 'jsmith',
        details: {
          notice: 'temporary-password',
          key: 'temporary-password:jsmith:m1',
          to: [],
          uid: 'jsmith',
          undeliverable: 'no mail server is configured (AAC_SMTP_URL)',
        },
      }),
    ]);
    const timelines = computeRequestTimelines(history, recs);
    const controls = computeEvidence({
      tree,
      diagnostics,
      retiredCount: 0,
      verdict: verifyAuditTrail({
        hash: sha256,
        commits: history,
        records: recs,
        places: recs.map((_, i) => ({ file: 'audit/2026-11.jsonl', line: i + 1 })),
        unreadable: [],
      }),
      timelines,
      records: recs,
      overview: computeAccessOverview(tree),
      branch: 'main',
      auditBranch: 'access-audit',
      accessRoot: 'access',
      dormancy: { time: '2026-11-02T12:00:00Z' },
    });
    const byId = new Map(controls.map((c) => [c.control, c]));
    expect(byId.get('3.1.4')).toMatchObject({ status: 'gaps' }); // two merged requests, no approval
    expect(byId.get('3.5.6')!.gaps).toEqual([
      `${disabled} is disabled in the files, but no lock of the account is on the audit log`,
    ]);
    expect(byId.get('3.5.9')!.gaps).toEqual([
      '2026-11-02T12:00:00Z: the temporary password of jsmith went to nobody (no mail server is configured (AAC_SMTP_URL))',
    ]);
    expect(byId.get('3.3.8')).toMatchObject({ status: 'not evidenced' }); // the audit branch was not walked
  });
});
