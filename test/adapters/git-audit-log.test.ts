import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitAuditLog, readGitAuditFiles } from '../../src/adapters/git/git-audit-log.js';

import { AuditLogError, AuditSecretError } from '../../src/errors.js';
import { approvals, auditEvent, malformed, verify } from '../helpers/audit-events.js';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { REPO_ROOT } from '../helpers/sample-tree.js';

const run = promisify(execFile);
const repos: GitRepo[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repoWithMain(): GitRepo {
  const repo = createGitRepo();
  repos.push(repo);
  repo.write('README.md', 'access\n');
  repo.commit('initial');
  return repo;
}

const lockEvent = auditEvent('account.locked', {
  time: '2026-12-01T03:00:00Z',
  actor: 'aac-reconciler',
  subject: 'ekim',
  details: { uid: 'ekim', reason: 'temporary-password-unchanged' },
});

describe('createGitAuditLog', () => {
  it('appends hash-chained JSON lines to one file per month on its own branch', async () => {
    const repo = repoWithMain();
    const log = createGitAuditLog({ repoDir: repo.dir });
    expect(await log.read()).toEqual([]);
    const first = await log.append(approvals('mjohnson', 2));
    const second = await log.append([lockEvent]);
    expect(first.map((r) => r.seq)).toEqual([1, 2]);
    expect(second[0]).toMatchObject({ seq: 3, prev: first[1]!.hash, type: 'account.locked' });

    const records = await log.read();
    expect(records).toEqual([...first, ...second]);
    expect(verify(records)).toEqual([]);
    expect(repo.git('ls-tree', '-r', '--name-only', 'access-audit').split('\n')).toEqual([
      'audit/2026-11.jsonl',
      'audit/2026-12.jsonl',
    ]);
    expect(repo.git('show', 'access-audit:audit/2026-11.jsonl').split('\n')).toHaveLength(2);
    expect(repo.git('rev-list', '--count', 'access-audit')).toBe('2');
    expect((await readGitAuditFiles(repo.dir, 'access-audit')).map((f) => f.path)).toEqual([
      'audit/2026-11.jsonl',
      'audit/2026-12.jsonl',
    ]);
  });

  it('never touches the work tree, the index or the checked-out branch', async () => {
    const repo = repoWithMain();
    repo.write('staged.txt', 'staged\n');
    repo.git('add', 'staged.txt');
    repo.write('unstaged.txt', 'mine\n');
    const before = {
      head: repo.git('rev-parse', 'HEAD'),
      status: repo.git('status', '--porcelain'),
      branch: repo.git('branch', '--show-current'),
    };
    await createGitAuditLog({ repoDir: repo.dir, branch: 'audit-log' }).append(approvals('mjohnson', 1));
    expect({
      head: repo.git('rev-parse', 'HEAD'),
      status: repo.git('status', '--porcelain'),
      branch: repo.git('branch', '--show-current'),
    }).toEqual(before);
    expect(repo.git('ls-tree', '-r', '--name-only', 'audit-log')).toBe('audit/2026-11.jsonl');
  });

  it('puts a late event in the newest month, so file order stays record order', async () => {
    const repo = repoWithMain();
    const log = createGitAuditLog({ repoDir: repo.dir });
    await log.append([lockEvent]);
    await log.append(approvals('mjohnson', 1));
    expect(repo.git('ls-tree', '-r', '--name-only', 'access-audit')).toBe('audit/2026-12.jsonl');
    expect(verify(await log.read())).toEqual([]);
  });

  it('refuses secret-looking details with AuditSecretError and writes nothing', async () => {
    const repo = repoWithMain();
    const log = createGitAuditLog({ repoDir: repo.dir });
    const leaky = malformed({ ...lockEvent, details: { uid: 'ekim', reason: 'disabled', initialPassword: 'Xy7!abc' } });
    const error = await log.append([leaky]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditSecretError);
    expect((error as AuditSecretError).paths).toEqual(['events[0].details.initialPassword']);
    expect((error as Error).message).not.toContain('Xy7!abc');
    expect(repo.git('branch', '--list', 'access-audit')).toBe('');
  });

  it('refuses a time that is not ISO 8601', async () => {
    const repo = repoWithMain();
    await expect(
      createGitAuditLog({ repoDir: repo.dir }).append([{ ...lockEvent, time: 'yesterday' }]),
    ).rejects.toBeInstanceOf(AuditLogError);
  });

  it('loses no record when writers in one process race (compare-and-swap, retry)', async () => {
    const repo = repoWithMain();
    const writers = ['a', 'b', 'c'].map(() => createGitAuditLog({ repoDir: repo.dir, maxAttempts: 200 }));
    await Promise.all(writers.map((w, i) => Promise.all(approvals(`user${i}`, 4).map((e) => w.append([e])))));
    const records = await writers[0]!.read();
    expect(records).toHaveLength(12);
    expect(verify(records)).toEqual([]);
  });

  it('loses no record when two processes append at the same time', async () => {
    const repo = repoWithMain();
    const worker = (name: string) =>
      run(
        join(REPO_ROOT, 'node_modules/.bin/vite-node'),
        [join(REPO_ROOT, 'test/helpers/append-audit-worker.ts'), repo.dir, name, '12'],
        { cwd: REPO_ROOT },
      );
    await Promise.all([worker('first'), worker('second')]);
    const records = await createGitAuditLog({ repoDir: repo.dir }).read();
    expect(records).toHaveLength(24);
    expect(records.filter((r) => r.actor === 'first')).toHaveLength(12);
    expect(verify(records)).toEqual([]);
  });

  describe('with push', () => {
    function remoteAndClones(n: number): { bare: string; clones: GitRepo[] } {
      const bare = mkdtempSync(join(tmpdir(), 'aac-bare-'));
      dirs.push(bare);
      const seed = repoWithMain();
      seed.git('init', '-q', '--bare', bare);
      seed.git('push', '-q', bare, 'main');
      seed.git('remote', 'add', 'origin', bare);
      const clones = Array.from({ length: n }, () => {
        const clone = repoWithMain();
        clone.git('remote', 'add', 'origin', bare);
        return clone;
      });
      return { bare, clones };
    }

    it('pushes every append, and pushers racing from two clones lose nothing', async () => {
      const { bare, clones } = remoteAndClones(2);
      const [a, b] = clones.map((c) =>
        createGitAuditLog({ repoDir: c.dir, push: { remote: 'origin' }, maxAttempts: 200 }),
      );
      await Promise.all([
        Promise.all(approvals('alice', 3).map((e) => a!.append([e]))),
        Promise.all(approvals('bob', 3).map((e) => b!.append([e]))),
      ]);
      const remote = createGitAuditLog({ repoDir: bare });
      const records = await remote.read();
      expect(records).toHaveLength(6);
      expect(verify(records)).toEqual([]);
    });

    it('keeps records locally when the remote is unreachable and carries them on the next push', async () => {
      const { bare, clones } = remoteAndClones(1);
      const clone = clones[0]!;
      clone.git('remote', 'set-url', 'origin', join(bare, 'gone'));
      const log = createGitAuditLog({ repoDir: clone.dir, push: { remote: 'origin' } });
      await expect(log.append(approvals('alice', 1))).rejects.toBeInstanceOf(AuditLogError);
      expect(await createGitAuditLog({ repoDir: clone.dir }).read()).toHaveLength(1);

      clone.git('remote', 'set-url', 'origin', bare);
      await createGitAuditLog({ repoDir: repos[0]!.dir, push: { remote: 'origin' } }).append([lockEvent]); // someone else pushed meanwhile
      const added = await log.append(approvals('carol', 1));
      expect(added.map((r) => r.actor)).toEqual(['carol']);
      const records = await createGitAuditLog({ repoDir: bare }).read();
      expect(records.map((r) => r.actor)).toEqual(['aac-reconciler', 'alice', 'carol']);
      expect(verify(records)).toEqual([]);
    });
  });
});
