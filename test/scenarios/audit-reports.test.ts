import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessOverview } from '../../src/core/audit/compute-access-overview.js';
import type { EvidenceControl } from '../../src/core/audit/compute-evidence.js';
import type { PersonReport } from '../../src/core/audit/compute-person-report.js';
import type { PeriodReport } from '../../src/core/audit/compute-period-report.js';
import type { SystemReport } from '../../src/core/audit/compute-system-report.js';
import { createAuditScenario } from '../helpers/audit-scenario.js';
import type { AuditScenario } from '../helpers/audit-scenario.js';
import { runCli } from '../helpers/run-cli.js';

let s: AuditScenario;
beforeAll(async () => {
  s = await createAuditScenario();
});
afterAll(() => s.repo.cleanup());

const audit = (...args: string[]) => runCli(['audit', ...args], { cwd: s.repo.dir, env: s.env });

describe('aac audit person', () => {
  it('shows the requester, every approval, the signed merge, the apply and the later revocation', async () => {
    const out = await audit('person', 'jsmith');
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as PersonReport;
    expect(report).toMatchObject({ uid: 'jsmith', name: 'Jane Smith', status: 'active', manager: 'mjohnson' });
    // The seed commit created her with email: a direct commit, signed, applied with the first run.
    expect(report.accessRecords.map((r) => r.requestId)).toEqual([null, 12, 15]);
    const [seed, grant, revoke] = report.accessRecords;
    expect(seed).toMatchObject({
      requestId: null,
      changes: [{ change: 'person-created' }, { change: 'grant-added', system: 'email', role: 'user' }],
      merge: { commit: s.seed, signature: { verified: true, by: 'trusted-key' } },
      status: 'provisioned',
    });
    expect(grant).toMatchObject({
      requestId: 12,
      requester: 'jsmith-ex',
      requestedAt: '2026-11-02T09:00:00Z',
      tier: 'standard',
      changes: [{ change: 'grant-added', system: 'crm', role: 'sales-rep' }],
      approvalChain: [
        { level: 'manager', approver: 'mjohnson-ex', decision: 'approved', date: '2026-11-02T10:00:00Z' },
      ],
      securityReview: null,
      merge: {
        commit: s.grantMerge,
        committer: 'GitHub <noreply@github.com>',
        signature: { status: 'G', verified: true, by: 'github' },
      },
      systemsProvisioned: [
        {
          system: 'crm',
          accessLevel: 'sales-rep',
          group: 'crm-sales-reps',
          date: '2026-11-02T12:00:00Z',
          applyCommit: s.grantMerge,
        },
      ],
      systemsRevoked: [],
      status: 'provisioned',
    });
    expect(grant!.commits).toEqual([
      expect.objectContaining({
        commit: s.grantHead,
        author: 'Jane Smith <jane.smith@example.org>',
        signature: expect.objectContaining({ verified: true, by: 'trusted-key' }),
      }),
    ]);
    expect(revoke).toMatchObject({
      requestId: 15,
      requester: 'mjohnson-ex',
      changes: [{ change: 'grant-removed', system: 'crm', role: 'sales-rep' }],
      approvalChain: [{ level: 'manager', approver: 'dwilliams-ex', decision: 'approved' }],
      merge: { commit: s.revokeMerge, signature: { verified: true } },
      systemsRevoked: [
        {
          system: 'crm',
          accessLevel: 'sales-rep',
          group: 'crm-sales-reps',
          date: '2026-11-11T12:00:00Z',
          applyCommit: s.revokeMerge,
        },
      ],
      status: 'revoked',
    });
    expect(report.currentAccess.map((a) => `${a.system}/${a.accessLevel}`)).toEqual(['email/user']);
    expect(
      report.timeline
        .filter((e) => e.requestId !== null || !['requested', 'merged', 'provisioned'].includes(e.event))
        .map((e) => [e.event, e.requestId]),
    ).toEqual([
      ['requested', 12],
      ['approved', 12],
      ['merged', 12],
      ['provisioned', 12],
      ['expired', null],
      ['requested', 15],
      ['approved', 15],
      ['merged', 15],
      ['revoked', 15],
      ['locked', null],
    ]);
  });

  it('renders the same records as Markdown and CSV', async () => {
    const md = await audit('person', 'jsmith', '--format', 'markdown');
    expect(md.stdout).toMatch(/^# Access of jsmith \(Jane Smith\)/);
    expect(md.stdout).toContain('| #12 | jsmith-ex |');
    const csv = await audit('person', 'jsmith', '--format', 'csv');
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe(
      'request,requester,requested at,changes,tier,approval chain,security review,merge commit,signature,systems provisioned,systems revoked,status',
    );
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['direct commit', '#12', '#15']);
    expect(lines[3]).toMatch(/,revoked$/);
  });

  it('rejects an unknown person with a usage error', async () => {
    expect((await audit('person', 'nobody')).code).toBe(2);
  });
});

describe('aac audit system', () => {
  it('lists who was given and lost a role, with approvals and merges', async () => {
    const report = JSON.parse((await audit('system', 'crm')).stdout) as SystemReport;
    expect(report).toMatchObject({ id: 'crm', name: 'CRM' });
    expect(report.accessChanges.map((c) => [c.requestId, c.uid, c.change, c.status])).toEqual([
      [15, 'jsmith', 'removed crm/sales-rep', 'revoked'],
      [12, 'jsmith', 'added crm/sales-rep', 'provisioned'],
      [null, 'dwilliams', 'added crm/sales-manager', 'provisioned'],
      [null, 'jdoe.acme', 'added crm/partner until 2027-06-30', 'provisioned'],
      [null, 'mjohnson', 'added crm/sales-manager', 'provisioned'],
    ]);
    expect(report.roles.find((r) => r.role === 'sales-rep')?.holders).not.toContain('jsmith');
  });
});

describe('aac audit report', () => {
  it('shows the same requests in a fresh clone, where the log is only origin/access-audit', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'aac-fresh-'));
    try {
      const clone = join(parent, 'clone');
      execFileSync('git', ['clone', '-q', s.repo.dir, clone], { env: { PATH: process.env['PATH'] ?? '' } });
      expect(execFileSync('git', ['branch', '--list', 'access-audit'], { cwd: clone, encoding: 'utf8' })).toBe('');
      const here = await audit('report');
      const there = await runCli(['audit', 'report'], { cwd: clone, env: s.env });
      expect(there.code).toBe(0);
      expect(there.stderr).toContain('reading the audit log from origin/access-audit');
      const requests = (out: string) =>
        (JSON.parse(out) as PeriodReport).requests.map((r) => [r.requestId, r.requester, r.status, r.approvalChain]);
      expect(requests(there.stdout)).toEqual(requests(here.stdout));
      expect(requests(there.stdout).length).toBeGreaterThan(3);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('lists every request of the period with time to provision per tier against the targets', async () => {
    const report = JSON.parse(
      (await audit('report', '--since', '2026-11-01', '--until', '2026-11-30')).stdout,
    ) as PeriodReport;
    expect(report.requests.map((r) => [r.requestId, r.status])).toEqual([
      [15, 'provisioned'],
      [null, 'provisioned'], // the unsigned direct commit
      [12, 'provisioned'],
      [null, 'provisioned'], // the seed
      [14, 'rejected'],
    ]);
    expect(report.requests[0]!.applies.map((a) => a.result)).toEqual(['failed', 'completed']);
    expect(report.requests.find((r) => r.requestId === 14)?.blocked[0]?.reasons).toHaveLength(1);
    expect(report.provisioning.find((p) => p.tier === 'standard')).toEqual({
      tier: 'standard',
      target: '24h',
      targetHours: 24,
      requests: 2,
      provisioned: 2,
      withinTarget: 1,
      medianHours: 15,
      maxHours: 27,
    });
    expect(report.provisioning.map((p) => p.tier)).toEqual(['standard', 'elevated', 'privileged']);
    expect(report.events.map((e) => e.type)).toEqual(['grant.expired', 'apply.failed', 'account.locked']);
    expect(report.unverifiedMerges).toEqual([s.unsignedCommit]);
  });

  it('keeps only the period asked for', async () => {
    const report = JSON.parse((await audit('report', '--since', '2026-11-09')).stdout) as PeriodReport;
    expect(report.requests.map((r) => r.requestId)).toEqual([15]);
  });

  it('indents JSON on a terminal and writes it on one line when piped', async () => {
    const piped = (await audit('report')).stdout;
    const terminal = (await runCli(['audit', 'report'], { cwd: s.repo.dir, env: s.env, isTTY: true })).stdout;
    expect(piped.trimEnd()).not.toContain('\n');
    expect(terminal).toContain('\n  "requests": [\n');
    expect(JSON.parse(terminal)).toEqual(JSON.parse(piped));
  });

  it('refuses a date that is not ISO 8601', async () => {
    expect((await audit('report', '--since', 'last tuesday')).code).toBe(2);
  });
});

describe('aac audit access', () => {
  it('shows the access matrix, privileged access and externals with their sponsors', async () => {
    const out = await audit('access');
    expect(out.code).toBe(0);
    const o = JSON.parse(out.stdout) as AccessOverview;
    expect(o.matrix.rows.find((r) => r.uid === 'jsmith')?.cells).toEqual({ email: ['user'] });
    expect(o.privileged.length).toBeGreaterThan(0);
    expect(o.privileged.every((p) => p.tier === 'privileged')).toBe(true);
    expect(o.external.find((e) => e.org === 'acme-partners')).toMatchObject({
      legalName: 'Acme Partners Ltd.',
      people: [{ uid: 'jdoe.acme', sponsor: 'mjohnson', sponsorActive: true, roles: ['crm/partner'] }],
    });
    const csv = await audit('access', '--format', 'csv');
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^person,name,type,crm,email,/);
  });
});

describe('aac audit evidence', () => {
  it('writes one evidence file per control from the real data', async () => {
    const dir = join(s.repo.dir, '..', `${s.repo.dir.split('/').pop()}-evidence`);
    const out = await audit('evidence', '--out', dir);
    expect(out.code).toBe(0);
    const controls = ['3.1.1', '3.1.4', '3.1.5', '3.1.7', '3.3.1', '3.3.2', '3.3.8', '3.5.5', '3.5.6', '3.5.9'];
    expect(readdirSync(dir).sort()).toEqual([...controls.map((c) => `${c}.md`), 'evidence.json', 'index.md'].sort());
    const { controls: got } = JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8')) as {
      controls: EvidenceControl[];
    };
    const byId = new Map(got.map((c) => [c.control, c]));
    // The unsigned direct commit is a gap for traceability and for the direct-change rule.
    expect(byId.get('3.3.2')!.status).toBe('gaps');
    expect(byId.get('3.3.2')!.gaps[0]).toContain(s.unsignedCommit.slice(0, 12));
    expect(byId.get('3.1.1')!.gaps.some((g) => g.includes(s.unsignedCommit.slice(0, 12)))).toBe(true);
    expect(byId.get('3.3.8')!.gaps.every((g) => g.includes('commit'))).toBe(true);
    expect(byId.get('3.1.4')!.tables[0]!.rows).toHaveLength(1);
    expect(byId.get('3.1.5')!.tables[0]!.rows.length).toBeGreaterThan(0);
    expect(byId.get('3.5.5')).toMatchObject({ status: 'evidenced' });
    expect(byId.get('3.5.5')!.evidence[0]).toMatch(/^1 retired identifiers/);
    expect(byId.get('3.5.6')!.tables[0]!.rows).toEqual([
      ['2026-11-12T03:00:00Z', 'jsmith', 'temporary-password-unchanged'],
    ]);
    expect(byId.get('3.5.9')!.evidence[1]).toMatch(/^1 accounts locked/);
    expect(readFileSync(join(dir, '3.3.8.md'), 'utf8')).toMatch(
      /^# NIST SP 800-171 rev\. 2, 3\.3\.8: Protect audit information/,
    );
    rmSync(dir, { recursive: true, force: true });
  });
});
