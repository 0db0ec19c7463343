import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitAuditLog } from '../../src/adapters/git/git-audit-log.js';
import { approvals } from '../helpers/audit-events.js';
import { runCli } from '../helpers/run-cli.js';
import { createSignedRepo } from '../helpers/signed-repo.js';
import type { SignedRepo } from '../helpers/signed-repo.js';
import { tamperAuditFile } from '../helpers/tamper-audit.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

interface Verdict {
  ok: boolean;
  log: Array<{ kind: string }>;
  auditBranch: {
    source: string | undefined;
    commits: number;
    signatures: Array<{ kind: string; commit: string }>;
    history: Array<{ kind: string; commit: string; file?: string; line?: number }>;
    copies: Array<{ kind: string; copy: string; seq: number }>;
  };
}

/** A repository whose main is signed and whose audit log (signed commits) holds records in October and November. */
async function repoWithSignedLog(): Promise<SignedRepo> {
  const repo = createSignedRepo();
  cleanups.push(() => repo.cleanup());
  repo.commitAs('initial');
  repo.git('config', 'user.signingkey', repo.signingKey);
  repo.git('config', 'commit.gpgsign', 'true');
  const log = createGitAuditLog({ repoDir: repo.dir });
  await log.append(approvals('mjohnson', 2, Date.parse('2026-10-20T09:00:00Z')));
  await log.append(approvals('mjohnson', 2, Date.parse('2026-11-20T09:00:00Z')));
  await log.append(approvals('asmith', 1, Date.parse('2026-11-21T09:00:00Z')));
  return repo;
}

async function verify(dir: string, ...args: string[]): Promise<{ code: number; verdict: Verdict; stderr: string }> {
  const out = await runCli(['audit', 'verify', '--format', 'json', ...args], { cwd: dir });
  return { code: out.code, verdict: JSON.parse(out.stdout || '{}') as Verdict, stderr: out.stderr };
}

/** Commits the audit branch without `file`, with plumbing and a scratch index, as a pusher could. */
function deleteAuditFile(repo: SignedRepo, file: string): string {
  const index = join(mkdtempSync(join(tmpdir(), 'aac-index-')), 'index');
  const env = { PATH: process.env['PATH'] ?? '', GIT_INDEX_FILE: index, HOME: repo.dir };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, env, encoding: 'utf8' }).trim();
  git('read-tree', 'access-audit');
  git('rm', '-q', '--cached', file);
  const tree = git('write-tree');
  const commit = git(
    '-c',
    'user.name=Mallory',
    '-c',
    'user.email=m@example.org',
    'commit-tree',
    tree,
    '-p',
    'access-audit',
    '-m',
    'prune',
  );
  git('update-ref', 'refs/heads/access-audit', commit);
  rmSync(join(index, '..'), { recursive: true, force: true });
  return commit;
}

function tip(repo: SignedRepo, ref = 'access-audit'): string {
  return repo.git('rev-parse', ref);
}

describe('aac audit verify: the audit branch is append-only', () => {
  it('passes a log whose commits only appended and are signed by a trusted key', async () => {
    const repo = await repoWithSignedLog();
    const { code, verdict } = await verify(repo.dir);
    expect(verdict.auditBranch).toMatchObject({
      source: 'access-audit (local)',
      commits: 3,
      signatures: [],
      history: [],
      copies: [],
    });
    expect(code).toBe(0);
  });

  it('names the commit that removed the newest record, although the shorter chain is intact', async () => {
    const repo = await repoWithSignedLog();
    tamperAuditFile(repo, 'audit/2026-11.jsonl', (lines) => lines.slice(0, -1));
    const culprit = tip(repo);
    const { code, verdict } = await verify(repo.dir);
    expect(code).toBe(1);
    expect(verdict.log).toEqual([]); // the chain alone cannot see a cut-off end
    expect(verdict.auditBranch.history).toEqual([
      expect.objectContaining({ kind: 'lines-removed', commit: culprit, file: 'audit/2026-11.jsonl', line: 3 }),
    ]);
    const text = await runCli(['audit', 'verify'], { cwd: repo.dir });
    expect(text.stdout).toContain(`audit commit ${culprit.slice(0, 12)} lines-removed`);
  });

  it('names the commit that rewrote an old month file', async () => {
    const repo = await repoWithSignedLog();
    tamperAuditFile(repo, 'audit/2026-10.jsonl', (lines) => [lines[0]!.replace('mjohnson', 'mallory'), lines[1]!]);
    const culprit = tip(repo);
    const { code, verdict } = await verify(repo.dir);
    expect(code).toBe(1);
    expect(verdict.auditBranch.history).toContainEqual(
      expect.objectContaining({ kind: 'lines-removed', commit: culprit, file: 'audit/2026-10.jsonl', line: 1 }),
    );
    // The tampering commit is not signed by a trusted key either.
    expect(verdict.auditBranch.signatures).toEqual([expect.objectContaining({ kind: 'unsigned', commit: culprit })]);
  });

  it('names a commit that deleted a month file, or inserted a line above the end', async () => {
    const repo = await repoWithSignedLog();
    tamperAuditFile(repo, 'audit/2026-11.jsonl', (lines) => [lines[0]!, lines[0]!, ...lines.slice(1)]);
    const inserted = tip(repo);
    const { verdict } = await verify(repo.dir);
    expect(verdict.auditBranch.history).toEqual([
      expect.objectContaining({ kind: 'lines-inserted', commit: inserted }),
    ]);
    const repo2 = await repoWithSignedLog();
    const deleted = deleteAuditFile(repo2, 'audit/2026-10.jsonl');
    expect((await verify(repo2.dir)).verdict.auditBranch.history).toEqual([
      expect.objectContaining({ kind: 'file-removed', commit: deleted, file: 'audit/2026-10.jsonl' }),
    ]);
  });

  it('reports unsigned audit commits: the log is checked by the same trust roots as main', async () => {
    const repo = createSignedRepo();
    cleanups.push(() => repo.cleanup());
    repo.commitAs('initial');
    await createGitAuditLog({ repoDir: repo.dir }).append(approvals('mjohnson', 1));
    const { code, verdict } = await verify(repo.dir);
    expect(code).toBe(1);
    expect(verdict.auditBranch.signatures).toEqual([expect.objectContaining({ kind: 'unsigned', commit: tip(repo) })]);
  });
});

describe('aac audit verify: where the log is', () => {
  function cloneOf(repo: SignedRepo): string {
    const parent = mkdtempSync(join(tmpdir(), 'aac-clone-'));
    cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
    const dir = join(parent, 'clone');
    execFileSync('git', ['clone', '-q', repo.dir, dir], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
    execFileSync('git', ['config', 'gpg.ssh.allowedSignersFile', repo.allowedSigners], { cwd: dir });
    return dir;
  }

  it('reads origin/access-audit in a fresh clone, and says so', async () => {
    const repo = await repoWithSignedLog();
    const clone = cloneOf(repo);
    const { code, verdict, stderr } = await verify(clone);
    expect(stderr).toContain('reading the audit log from origin/access-audit');
    expect(verdict.auditBranch.source).toBe('origin/access-audit (remote-tracking)');
    expect(verdict).toMatchObject({ ok: true });
    expect(code).toBe(0);
  });

  it('reports a remote audit branch that was rewound past records the local branch has', async () => {
    const repo = await repoWithSignedLog();
    const clone = cloneOf(repo);
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: clone, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
    git('branch', '-q', 'access-audit', 'origin/access-audit');
    expect((await verify(clone)).code).toBe(0);
    // Someone with push rights force-moves the remote branch back one commit; the clone fetches.
    repo.git('update-ref', 'refs/heads/access-audit', `${tip(repo)}~1`);
    git('fetch', '-q', 'origin');
    const { code, verdict } = await verify(clone);
    expect(code).toBe(1);
    expect(verdict.log).toEqual([]);
    expect(verdict.auditBranch.copies).toEqual([
      expect.objectContaining({ kind: 'copy-missing-records', copy: 'origin/access-audit', seq: 5 }),
    ]);
  });

  it('fails when there is no audit log at all, rather than calling it intact', async () => {
    const repo = createSignedRepo();
    cleanups.push(() => repo.cleanup());
    repo.commitAs('initial');
    const out = await runCli(['audit', 'verify'], { cwd: repo.dir });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('no audit log');
    expect(out.stdout).toMatch(/^FAILED/m);
  });

  it('refuses an unknown audit branch, branch, allowed-signers file or GnuPG home (exit 2)', async () => {
    const repo = await repoWithSignedLog();
    for (const args of [
      ['--audit-branch', 'no-such-branch'],
      ['--branch', 'no-such-branch'],
      ['--allowed-signers', join(repo.dir, 'missing-allowed-signers')],
      ['--gnupg-home', join(repo.dir, 'missing-gnupg')],
    ]) {
      const out = await runCli(['audit', 'verify', ...args], { cwd: repo.dir });
      expect([args[0], out.code]).toEqual([args[0], 2]);
      expect(out.stdout).toBe('');
    }
    const report = await runCli(['audit', 'report', '--audit-branch', 'nope'], { cwd: repo.dir });
    expect(report.code).toBe(2);
    repo.git('config', 'gpg.ssh.allowedSignersFile', join(repo.dir, 'gone'));
    expect((await runCli(['audit', 'verify'], { cwd: repo.dir })).code).toBe(2);
  });
});
