import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRetiredIdentities } from '../../src/adapters/git/read-retired-identities.js';
import { findRepositoryRoot, resolveCommit, runGit } from '../../src/adapters/git/run-git.js';
import { main } from '../../src/entrypoints/cli/main.js';
import { openReconcileAuditLog } from '../../src/services/reconcile/open-reconcile-audit-log.js';
import { GitError } from '../../src/errors.js';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { SAMPLE_DIR } from '../helpers/sample-tree.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aac-plain-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function repoWithSample(): GitRepo {
  const repo = createGitRepo({ withSample: SAMPLE_DIR });
  cleanups.push(repo.cleanup);
  return repo;
}

async function gitErrorOf(promise: Promise<unknown>): Promise<GitError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitError);
  return error as GitError;
}

/** A repository whose config git refuses to read: every git command in it fails, but it is a repository. */
function breakConfig(repo: GitRepo): void {
  writeFileSync(join(repo.dir, '.git', 'config'), '[core\nthis is not a config file\n');
}

/** Removes every object of `commit`'s ancestry that git log must read, so history exists but cannot be read. */
function dropObjects(repo: GitRepo): void {
  const objects = join(repo.dir, '.git', 'objects');
  for (const name of readdirSync(objects))
    if (/^[0-9a-f]{2}$/.test(name)) rmSync(join(objects, name), { recursive: true });
}

async function validate(cwd: string): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await main(['validate', 'access', '--now', '2026-11-22T12:00:00Z'], {
    stdout: () => undefined,
    stderr: (t) => (stderr += t),
    isTTY: false,
    cwd,
    env: {},
  });
  return { code, stderr };
}

describe('GitError: git failures are typed and recognised exactly', () => {
  it('outside a repository: code not-a-repository, with the exit status and stderr', async () => {
    const error = await gitErrorOf(runGit(['log'], { cwd: tempDir() }));
    expect(error.code).toBe('not-a-repository');
    expect(error.exitCode).toBe(128);
    expect(error.stderr).toMatch(/not a git repository/);
  });

  it('a repository without commits: code no-commits', async () => {
    const repo = createGitRepo();
    cleanups.push(repo.cleanup);
    const error = await gitErrorOf(runGit(['log'], { cwd: repo.dir }));
    expect(error.code).toBe('no-commits');
    expect(error.exitCode).toBe(128);
  });

  it('a revision that does not exist: code unknown-revision; a broken repository: code failed', async () => {
    const repo = repoWithSample();
    repo.commit('seed');
    expect((await gitErrorOf(runGit(['ls-tree', 'no-such-branch'], { cwd: repo.dir }))).code).toBe('unknown-revision');
    breakConfig(repo);
    const error = await gitErrorOf(runGit(['log'], { cwd: repo.dir }));
    expect(error.code).toBe('failed');
    expect(error.stderr).toMatch(/bad config/);
  });

  it('git that cannot start: code cannot-run', async () => {
    const error = await gitErrorOf(runGit(['log'], { cwd: join(tempDir(), 'missing') }));
    expect(error.code).toBe('cannot-run');
    expect(error.exitCode).toBeUndefined();
  });

  it('findRepositoryRoot is undefined only outside a repository', async () => {
    expect(await findRepositoryRoot(tempDir())).toBeUndefined();
    const repo = repoWithSample();
    expect(await findRepositoryRoot(join(repo.dir, 'access'))).toBe(repo.dir);
    breakConfig(repo);
    expect((await gitErrorOf(findRepositoryRoot(repo.dir))).code).toBe('failed');
  });

  it('resolveCommit is undefined only for a missing revision', async () => {
    const repo = repoWithSample();
    expect(await resolveCommit(repo.dir, 'HEAD')).toBeUndefined(); // unborn branch
    const sha = repo.commit('seed');
    expect(await resolveCommit(repo.dir, 'HEAD')).toBe(sha);
    expect(await resolveCommit(repo.dir, 'access-audit')).toBeUndefined();
    expect(await resolveCommit(repo.dir, '--output=x')).toBeUndefined(); // a revision, never an option
    breakConfig(repo);
    expect((await gitErrorOf(resolveCommit(repo.dir, 'HEAD'))).code).toBe('failed');
  });
});

describe('nothing fails open on a git error', () => {
  it('retired identities: [] outside git and before the first commit, an error when history cannot be read', async () => {
    expect(await readRetiredIdentities(tempDir())).toEqual([]);
    const empty = repoWithSample();
    expect(await readRetiredIdentities(join(empty.dir, 'access'))).toEqual([]);

    const repo = repoWithSample();
    repo.commit('seed');
    repo.remove('access/people/jsmith.yaml');
    repo.commit('Jane Smith leaves');
    expect((await readRetiredIdentities(join(repo.dir, 'access'))).map((r) => r.uid)).toEqual(['jsmith']);
    dropObjects(repo);
    await gitErrorOf(readRetiredIdentities(join(repo.dir, 'access')));
  });

  it('aac validate stops with exit 2 instead of skipping the identifier-reuse check', async () => {
    const repo = repoWithSample();
    repo.commit('seed');
    expect((await validate(repo.dir)).code).toBe(0);
    dropObjects(repo);
    const broken = await validate(repo.dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/git log failed/);
  });

  it('a shallow clone is refused: its history cannot show every retired identifier', async () => {
    const origin = repoWithSample();
    origin.commit('seed');
    origin.write('access/people/zz-temp.yaml', 'kind: Person\n');
    origin.commit('second');
    const clone = tempDir();
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin.dir}`, clone], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: clone, GIT_CONFIG_NOSYSTEM: '1' },
    });
    await expect(readRetiredIdentities(join(clone, 'access'))).rejects.toThrow(/shallow clone.*--no-history/);
  });

  it('the audit log choice: the file log only outside git, an error for a broken repository', async () => {
    const plain = tempDir();
    const log = await openReconcileAuditLog({ cwd: plain, accessDir: plain, push: false });
    expect(await log.read()).toEqual([]);
    const repo = repoWithSample();
    repo.commit('seed');
    breakConfig(repo);
    await gitErrorOf(openReconcileAuditLog({ cwd: repo.dir, accessDir: join(repo.dir, 'access'), push: false }));
  });
});
