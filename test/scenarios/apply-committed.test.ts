import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitAuditLog } from '../../src/adapters/git/git-audit-log.js';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';
import { SAMPLE_DIR } from '../helpers/sample-tree.js';

const FLAGS = ['--no-history', '--now', '2026-11-22T12:00:00Z', '--directory', 'file:.aac/directory.json'];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function sampleRepo(): GitRepo {
  const repo = createGitRepo({ withSample: SAMPLE_DIR });
  cleanups.push(() => repo.cleanup());
  repo.write('.gitignore', '.aac/\n');
  repo.commit('the sample organisation');
  return repo;
}

/** `lmartin` with a privileged production grant added (valid: she has a background check). */
function withPrivilegedGrant(repo: GitRepo): void {
  const path = join(repo.dir, 'access/people/lmartin.yaml');
  const text = readFileSync(path, 'utf8');
  repo.write(
    'access/people/lmartin.yaml',
    text.replace(
      'grants:\n',
      'grants:\n  - system: production\n    role: admin\n    justification: Unreviewed root access.\n',
    ),
  );
}

function members(repo: GitRepo, group: string): string[] {
  const state = JSON.parse(readFileSync(join(repo.dir, '.aac/directory.json'), 'utf8')) as {
    groups: Array<{ name: string; members: string[] }>;
  };
  const dns = state.groups.find((g) => g.name === group)?.members;
  if (dns === undefined) throw new Error(`no group ${group} in the file directory`);
  return dns.map((dn) => /^uid=([^,]+)/.exec(dn)?.[1] ?? dn);
}

describe('aac apply applies committed state only', () => {
  it('ignores an uncommitted privileged grant, says so, and records the commit and tree applied', async () => {
    const repo = sampleRepo();
    const head = repo.git('rev-parse', 'HEAD');
    withPrivilegedGrant(repo);
    expect((await runCli(['validate', '--no-history', 'access'], { cwd: repo.dir })).code).toBe(0); // a valid edit
    repo.git('add', 'access/people/lmartin.yaml'); // staged is not committed either
    repo.write('access/people/zz-new.yaml', 'kind: Person\n'); // nor is an untracked (here invalid) file

    const plan = await runCli(['plan', ...FLAGS], { cwd: repo.dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).not.toContain('lmartin: +production');
    expect(plan.stderr).toContain('2 uncommitted change(s) under access');

    const run = await runCli(['apply', ...FLAGS], { cwd: repo.dir });
    expect(run.stderr).toContain(`it uses commit ${head.slice(0, 12)} (HEAD); commit them first`);
    expect(run.code).toBe(0);
    expect(members(repo, 'prod-admins')).not.toContain('lmartin');
    expect(members(repo, 'prod-readonly')).toContain('pkowalski'); // the committed state did arrive

    const records = await createGitAuditLog({ repoDir: repo.dir }).read();
    const completed = records.find((r) => r.type === 'apply.completed')!;
    expect(completed.commit).toBe(head);
    expect(completed.details['source']).toEqual({
      commit: head,
      tree: repo.git('rev-parse', 'HEAD^{tree}'),
      ref: 'HEAD',
      uncommittedIgnored: 2,
    });
    expect(JSON.stringify(records)).not.toContain('Unreviewed root access');
  });

  it('--ref applies the files of another commit, whatever is checked out', async () => {
    const repo = sampleRepo();
    const before = repo.git('rev-parse', 'HEAD');
    withPrivilegedGrant(repo);
    const after = repo.commit('give lmartin production admin');
    repo.git('checkout', '-q', before);
    const run = await runCli(['apply', ...FLAGS, '--ref', after], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(members(repo, 'prod-admins')).toContain('lmartin');
    const records = await createGitAuditLog({ repoDir: repo.dir }).read();
    expect(records.at(-1)!.commit).toBe(after);
    expect((await runCli(['apply', ...FLAGS, '--ref', 'no-such-ref'], { cwd: repo.dir })).code).toBe(2);
  });

  it('outside git applies the folder and records that no commit is recorded', async () => {
    const work = mkdtempSync(join(tmpdir(), 'aac-plain-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    cpSync(SAMPLE_DIR, join(work, 'access'), { recursive: true });
    const run = await runCli(['apply', ...FLAGS], { cwd: work });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('no commit is recorded for this run');
    const record = JSON.parse(readFileSync(join(work, '.aac/audit.jsonl'), 'utf8').split('\n')[0]!) as {
      commit?: string;
      details: { source: unknown };
    };
    expect(record.commit).toBeUndefined();
    expect(record.details.source).toEqual({
      commit: null,
      reason: 'not a git checkout: the files on disk were applied',
    });
    expect((await runCli(['apply', ...FLAGS, '--ref', 'HEAD'], { cwd: work })).code).toBe(2);
  });
});
