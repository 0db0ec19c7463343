import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApply } from '../../src/entrypoints/cli/apply-command.js';
import { createGitRepo } from '../helpers/git-repo.js';
import { MemoryAuditLog } from '../helpers/memory-audit-log.js';
import { SAMPLE_DIR } from '../helpers/sample-tree.js';
import { runCli } from '../helpers/run-cli.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'aac-file-dir-'));
  cpSync(SAMPLE_DIR, join(work, 'access'), { recursive: true });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FLAGS = ['--no-history', '--now', '2026-11-22T12:00:00Z', '--directory', 'file:.aac/directory.json'];

describe('the embedded file directory (the quick start)', () => {
  it('validate, plan, apply, then a second plan is empty', async () => {
    expect((await runCli(['validate', '--no-history', ...FLAGS.slice(1, 3)], { cwd: work })).code).toBe(0);
    expect((await runCli(['plan', ...FLAGS, '--exit-code'], { cwd: work })).code).toBe(2);
    const passwords: string[] = [];
    let printed = '';
    const io = {
      stdout: (t: string) => (printed += t),
      stderr: (t: string) => (printed += t),
      isTTY: false,
      cwd: work,
      env: {},
    };
    const audit = new MemoryAuditLog();
    expect(
      await runApply(FLAGS, io, {
        auditLog: audit,
        notifier: null,
        generatePassword: () => {
          const p = `Pw-${passwords.length}-abcdefghijklmn`;
          passwords.push(p);
          return p;
        },
      }),
    ).toBe(0);
    expect(audit.records.map((r) => r.type)).toEqual(['apply.completed', ...passwords.map(() => 'notice.sent')]);
    // Each hand-over is on record (to whom, never the password): no mail server here, so to nobody.
    expect(audit.records.filter((r) => r.type === 'notice.sent').every((r) => r.details.to.length === 0)).toBe(true);
    expect(printed).toContain('Applied 32 actions');
    const second = await runCli(['plan', ...FLAGS, '--exit-code'], { cwd: work });
    expect(second).toMatchObject({ code: 0, stdout: 'No changes: the directory matches the access files.\n' });
    // The file keeps stable keys and only password hashes.
    const stored = readFileSync(join(work, '.aac/directory.json'), 'utf8');
    expect(passwords).toHaveLength(15); // one per new account of the sample: the check below is not vacuous
    for (const p of passwords) expect(stored).not.toContain(p);
    expect(JSON.parse(stored).accounts[0].key).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('appends every run to the audit log, by default a local file', async () => {
    const run = await runCli(['apply', ...FLAGS], { cwd: work });
    expect(run.code).toBe(0);
    const lines = readFileSync(join(work, '.aac/audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((r) => [r.type, r.details.counts.actions])).toEqual([['apply.completed', 0]]);
  });

  it('inside a git checkout, appends to the access-audit branch without touching the work tree', async () => {
    const repo = createGitRepo({ withSample: SAMPLE_DIR });
    try {
      repo.commit('access files');
      const run = await runCli(['apply', ...FLAGS], { cwd: repo.dir });
      expect(run.code).toBe(0);
      expect(repo.git('status', '--porcelain', '--untracked-files=no')).toBe('');
      const log = repo.git('log', '-p', 'access-audit', '--format=');
      expect(log).toContain('"type":"apply.completed"');
      expect(log).toContain(`"commit":"${repo.git('rev-parse', 'HEAD')}"`);
    } finally {
      repo.cleanup();
    }
  });

  it('refuses a corrupt directory file without touching it', async () => {
    writeFileSync(join(work, '.aac/broken.json'), '{"accounts": ');
    const run = await runCli(
      ['apply', '--no-history', '--directory', 'file:.aac/broken.json', '--audit-log', 'file:.aac/audit.jsonl'],
      { cwd: work },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(file-corrupt)');
    expect(readFileSync(join(work, '.aac/broken.json'), 'utf8')).toBe('{"accounts": ');
    const last = readFileSync(join(work, '.aac/audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .at(-1);
    expect(last.type).toBe('apply.failed');
  });

  it('rejects a --directory that is not file:PATH as a usage error', async () => {
    expect((await runCli(['plan', '--no-history', '--directory', 'ldap://x'], { cwd: work })).code).toBe(2);
  });

  it('needs a directory: without AAC_LDAP_URL or --directory it says so', async () => {
    const run = await runCli(['plan', '--no-history'], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('AAC_LDAP_URL');
  });
});
