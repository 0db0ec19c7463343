import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitAuditLog } from '../../src/adapters/git/git-audit-log.js';
import type { AuditRecord } from '../../src/core/audit/audit-event.js';
import { auditEvent } from '../helpers/audit-events.js';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';
import { SAMPLE_DIR } from '../helpers/sample-tree.js';

const FLAGS = ['--no-history', '--now', '2026-11-22T12:00:00Z', '--directory', 'file:.aac/directory.json'];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** The sample in a real repository, applied once (which adopts it as the approved baseline). */
async function appliedSample(): Promise<GitRepo> {
  const repo = createGitRepo({ withSample: SAMPLE_DIR });
  cleanups.push(() => repo.cleanup());
  repo.write('.gitignore', '.aac/\n');
  repo.commit('the sample organisation');
  const first = await runCli(['apply', ...FLAGS], { cwd: repo.dir });
  expect(first.code).toBe(0);
  return repo;
}

function addGrant(repo: GitRepo, uid: string, grant: string): void {
  const path = `access/people/${uid}.yaml`;
  const text = readFileSync(join(repo.dir, path), 'utf8');
  repo.write(path, text.replace('grants:\n', `grants:\n${grant}`));
}
const PROD_ADMIN = '  - system: production\n    role: admin\n    justification: Root access for the migration.\n';

function members(repo: GitRepo, group: string): string[] {
  const state = JSON.parse(readFileSync(join(repo.dir, '.aac/directory.json'), 'utf8')) as {
    groups: Array<{ name: string; members: string[] }>;
  };
  const dns = state.groups.find((g) => g.name === group)?.members;
  if (dns === undefined) throw new Error(`no group ${group}`);
  return dns.map((dn) => /^uid=([^,]+)/.exec(dn)?.[1] ?? dn);
}

const records = (repo: GitRepo): Promise<AuditRecord[]> => createGitAuditLog({ repoDir: repo.dir }).read();

/** What the app records when a pull request's head is approved: the changes it covered (see computeAuditEvents). */
async function recordApproval(
  repo: GitRepo,
  pr: number,
  head: string,
  uid: string,
  grant: { system: string; role: string },
): Promise<void> {
  await createGitAuditLog({ repoDir: repo.dir }).append([
    auditEvent('request.approved', {
      time: '2026-11-21T10:00:00Z',
      actor: 'mjohnson',
      pr,
      commit: head,
      details: {
        tier: 'privileged',
        approvers: [{ level: 'manager', reviewer: 'mjohnson', at: '2026-11-21T10:00:00Z' }],
        changes: [{ kind: 'grant-added', subject: uid, person: uid, tier: 'privileged', grant }],
      },
    }),
  ]);
}

describe('aac apply provisions only approved access (reconcile.requireApproval)', () => {
  it('adopts the first applied state as the approved baseline, and records it', async () => {
    const repo = await appliedSample();
    const baseline = (await records(repo)).find((r) => r.type === 'apply.baseline');
    expect(baseline).toMatchObject({ commit: repo.git('rev-parse', 'HEAD'), details: { tree: expect.any(String) } });
    expect(members(repo, 'prod-admins').length).toBeGreaterThan(0);
  });

  it('holds a grant pushed straight to main, logs apply.held once, and provisions it after an approved pull request', async () => {
    const repo = await appliedSample();
    const base = repo.git('rev-parse', 'HEAD');
    // A request opened the proper way, not approved yet...
    repo.git('checkout', '-q', '-b', 'request/lmartin');
    addGrant(repo, 'lmartin', PROD_ADMIN);
    const head = repo.commit('Give lmartin production admin');
    repo.git('checkout', '-q', 'main');
    // ...and the same grant pushed straight to main by an admin.
    addGrant(repo, 'lmartin', PROD_ADMIN);
    const direct = repo.commit('hotfix: lmartin needs prod');

    const plan = await runCli(['plan', ...FLAGS], { cwd: repo.dir });
    expect(plan.stdout).toContain(`= held lmartin: +production/admin: introduced by ${direct.slice(0, 12)}`);
    const json = JSON.parse((await runCli(['plan', ...FLAGS, '--format', 'json'], { cwd: repo.dir })).stdout) as {
      approval: { held: Array<{ uid: string; introducedBy: string }> };
    };
    expect(json.approval.held).toEqual([expect.objectContaining({ uid: 'lmartin', introducedBy: direct })]);

    const apply = await runCli(['apply', ...FLAGS], { cwd: repo.dir });
    expect(apply.code).toBe(0);
    expect(members(repo, 'prod-admins')).not.toContain('lmartin');
    const held = (await records(repo)).filter((r) => r.type === 'apply.held');
    expect(held).toEqual([
      expect.objectContaining({
        subject: 'lmartin',
        commit: direct,
        details: expect.objectContaining({ system: 'production', role: 'admin', introducedBy: direct }),
      }),
    ]);
    // Hourly runs keep holding it, without logging it again.
    expect((await runCli(['apply', ...FLAGS], { cwd: repo.dir })).code).toBe(0);
    expect((await records(repo)).filter((r) => r.type === 'apply.held')).toHaveLength(1);
    expect(members(repo, 'prod-admins')).not.toContain('lmartin');

    // The pull request is approved (its head), then merged with a merge commit.
    await recordApproval(repo, 41, head, 'lmartin', { system: 'production', role: 'admin' });
    repo.git('merge', '-q', '--no-ff', '-m', 'Merge pull request #41 from example/request/lmartin', 'request/lmartin');
    expect(repo.git('rev-parse', 'HEAD^2')).toBe(head);
    const after = await runCli(['apply', ...FLAGS], { cwd: repo.dir });
    expect(after.code).toBe(0);
    expect(members(repo, 'prod-admins')).toContain('lmartin');
    const completed = (await records(repo)).filter((r) => r.type === 'apply.completed').at(-1)!;
    expect(completed.details['approval']).toMatchObject({
      held: [],
      approved: [expect.objectContaining({ uid: 'lmartin', pr: 41, head, mergedAs: repo.git('rev-parse', 'HEAD') })],
    });
    expect(base).not.toBe(head);
  });

  it('links a squash merge to its approved head through request.merged, and ignores approvals of another head', async () => {
    const repo = await appliedSample();
    repo.git('checkout', '-q', '-b', 'request/lmartin');
    addGrant(repo, 'lmartin', PROD_ADMIN);
    const stale = repo.commit('first try');
    repo.write('access/people/lmartin.yaml', readFileSync(join(repo.dir, 'access/people/lmartin.yaml'), 'utf8'));
    const head = repo.commit('second try (no approval of this head yet)');
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--squash', 'request/lmartin');
    const squashed = repo.commit('Give lmartin production admin (#52)');

    // Only the stale head was approved: the squash is held.
    await recordApproval(repo, 52, stale, 'lmartin', { system: 'production', role: 'admin' });
    await runCli(['apply', ...FLAGS], { cwd: repo.dir });
    expect(members(repo, 'prod-admins')).not.toContain('lmartin');

    // The head is approved, but nothing links the squashed commit to it yet: still held.
    await recordApproval(repo, 52, head, 'lmartin', { system: 'production', role: 'admin' });
    await runCli(['apply', ...FLAGS], { cwd: repo.dir });
    expect(members(repo, 'prod-admins')).not.toContain('lmartin');

    // The app records the merge (GitHub's merge_commit_sha): now it is provisioned.
    await createGitAuditLog({ repoDir: repo.dir }).append([
      auditEvent('request.merged', {
        time: '2026-11-21T11:00:00Z',
        actor: 'mjohnson',
        pr: 52,
        commit: squashed,
        details: { head, base: 'main', mergedBy: 'mjohnson' },
      }),
    ]);
    expect((await runCli(['apply', ...FLAGS], { cwd: repo.dir })).code).toBe(0);
    expect(members(repo, 'prod-admins')).toContain('lmartin');
  });

  it('always applies revocations and disables, even while something is held', async () => {
    const repo = await appliedSample();
    addGrant(repo, 'lmartin', PROD_ADMIN);
    const pk = readFileSync(join(repo.dir, 'access/people/pkowalski.yaml'), 'utf8');
    repo.write('access/people/pkowalski.yaml', pk.replace(/ {2}- system: production\n( {4}.*\n)+/, ''));
    repo.commit('direct push: one grant, one removal');
    expect(members(repo, 'prod-readonly')).toContain('pkowalski');
    expect((await runCli(['apply', ...FLAGS], { cwd: repo.dir })).code).toBe(0);
    expect(members(repo, 'prod-admins')).not.toContain('lmartin');
    expect(members(repo, 'prod-readonly')).not.toContain('pkowalski');
    // A grant removed from the files is a revocation, never drift.
    const logged = await records(repo);
    expect(logged.filter((r) => r.type === 'grant.revoked')).toEqual([
      expect.objectContaining({
        subject: 'pkowalski',
        details: { system: 'production', role: 'read-only', group: 'prod-readonly' },
      }),
    ]);
    expect(logged.filter((r) => r.type === 'drift.reverted')).toEqual([]);
    const dw = readFileSync(join(repo.dir, 'access/people/dwilliams.yaml'), 'utf8');
    repo.write('access/people/dwilliams.yaml', dw.replace('status: active', 'status: disabled'));
    repo.commit('direct push: a disable');
    expect((await runCli(['apply', ...FLAGS], { cwd: repo.dir })).code).toBe(0);
    expect(members(repo, 'crm-sales-managers')).not.toContain('dwilliams');
    expect(members(repo, 'prod-admins')).not.toContain('lmartin');
    // A member nobody declared, added behind the reconciler's back, is drift.
    const path = join(repo.dir, '.aac/directory.json');
    const dir = JSON.parse(readFileSync(path, 'utf8')) as { groups: Array<{ name: string; members: string[] }> };
    const admins = dir.groups.find((g) => g.name === 'prod-admins')!;
    admins.members.push(admins.members[0]!.replace(/^uid=[^,]+/, 'uid=alee'));
    writeFileSync(path, JSON.stringify(dir));
    const plan = await runCli(['plan', ...FLAGS], { cwd: repo.dir });
    expect(plan.stdout).toContain('-alee (drift)');
  });

  it('keeps a directly re-enabled person locked, and a directly extended grant at its old end', async () => {
    const repo = await appliedSample();
    const pk = readFileSync(join(repo.dir, 'access/people/pkowalski.yaml'), 'utf8');
    repo.write('access/people/pkowalski.yaml', pk.replace(/expires: "2027-03-31"/g, 'expires: "2028-03-31"'));
    repo.commit('direct push: extend pkowalski');
    const plan = await runCli(['plan', ...FLAGS], { cwd: repo.dir });
    expect(plan.stdout).toContain(
      'held pkowalski: production/read-only extended to until 2028-03-31 (kept at 2027-03-31)',
    );
    // Much later: every unchanged temporary password is locked too, past the guards.
    const late = [
      '--no-history',
      '--now',
      '2027-05-01T00:00:00Z',
      '--directory',
      'file:.aac/directory.json',
      '--allow-mass-change',
    ];
    expect((await runCli(['apply', ...late], { cwd: repo.dir })).code).toBe(0);
    expect(members(repo, 'prod-readonly')).not.toContain('pkowalski'); // expired at the approved end

    const dw = readFileSync(join(repo.dir, 'access/people/dwilliams.yaml'), 'utf8');
    repo.write('access/people/dwilliams.yaml', dw.replace('status: active', 'status: disabled'));
    repo.commit('disable dwilliams');
    expect((await runCli(['apply', ...FLAGS], { cwd: repo.dir })).code).toBe(0);
    repo.write('access/people/dwilliams.yaml', dw);
    repo.commit('direct push: re-enable dwilliams');
    const again = await runCli(['apply', ...FLAGS], { cwd: repo.dir });
    expect(again.stderr).toContain('held dwilliams: account (disabled until approved)');
    expect(members(repo, 'crm-sales-managers')).not.toContain('dwilliams');
  });

  it('an override names who and why, is logged, and provisions what was held', async () => {
    const repo = await appliedSample();
    addGrant(repo, 'lmartin', PROD_ADMIN);
    repo.commit('direct push');
    const half = await runCli(['apply', ...FLAGS, '--override-holds-by', 'kpatel-ciso'], { cwd: repo.dir });
    expect(half.code).toBe(2);
    const run = await runCli(
      ['apply', ...FLAGS, '--override-holds-by', 'kpatel-ciso', '--override-holds-reason', 'incident INC-42'],
      { cwd: repo.dir },
    );
    expect(run.code).toBe(0);
    expect(members(repo, 'prod-admins')).toContain('lmartin');
    expect((await records(repo)).find((r) => r.type === 'apply.override')).toMatchObject({
      actor: 'kpatel-ciso',
      details: {
        by: 'kpatel-ciso',
        reason: 'incident INC-42',
        released: [expect.objectContaining({ uid: 'lmartin' })],
      },
    });
  });

  it('holds nothing when the policy does not ask for it', async () => {
    const repo = await appliedSample();
    const policy = readFileSync(join(repo.dir, 'access/policy.yaml'), 'utf8');
    repo.write('access/policy.yaml', policy.replace('requireApproval: true', 'requireApproval: false'));
    addGrant(repo, 'lmartin', PROD_ADMIN);
    repo.commit('direct push, holding off');
    expect((await runCli(['apply', ...FLAGS], { cwd: repo.dir })).code).toBe(0);
    expect(members(repo, 'prod-admins')).toContain('lmartin');
  });
});
