import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePassword, PASSWORD_LENGTH } from '../../src/adapters/crypto/generate-password.js';
import { runApply } from '../../src/entrypoints/cli/apply-command.js';
import { main } from '../../src/entrypoints/cli/main.js';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { SAMPLE_DIR } from '../helpers/sample-tree.js';
import { startSlapd } from '../helpers/slapd.mjs';
import type { Slapd } from '../helpers/slapd.mjs';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import type { SmtpSink } from '../helpers/smtp-sink.js';

let slapd: Slapd;
let smtp: SmtpSink;
let repo: GitRepo;
beforeAll(async () => {
  [slapd, smtp] = await Promise.all([startSlapd(), startSmtpSink()]);
  repo = createGitRepo({ withSample: SAMPLE_DIR });
  repo.commit('access files');
});
afterAll(async () => {
  await Promise.all([slapd?.stop(), smtp?.close()]);
  repo?.cleanup();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('temporary passwords', () => {
  it('are 20 characters from the CSPRNG, all different', () => {
    const passwords = Array.from({ length: 200 }, () => generatePassword());
    expect(new Set(passwords).size).toBe(200);
    for (const p of passwords) {
      expect(p).toHaveLength(PASSWORD_LENGTH);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[^A-Za-z0-9]/);
    }
  });

  it('reach only the manager or sponsor: never stdout, stderr, the plan, the job summary, the audit log or git', async () => {
    const summary = join(repo.dir, '..', `summary-${Date.now()}.md`);
    writeFileSync(summary, '');
    const env = {
      AAC_LDAP_URL: slapd.url,
      AAC_LDAP_BIND_DN: slapd.adminDn,
      AAC_LDAP_BIND_PASSWORD: slapd.adminPassword,
      AAC_SMTP_URL: smtp.url,
      AAC_SMTP_FROM: 'aac@example.org',
      AAC_SMTP_HANDOVER_FALLBACK: 'service-desk@example.org',
      GITHUB_STEP_SUMMARY: summary,
    };
    let printed = '';
    const io = {
      stdout: (t: string) => (printed += t),
      stderr: (t: string) => (printed += t),
      isTTY: true,
      cwd: repo.dir,
      env,
    };
    const flags = ['--now', '2026-11-22T12:00:00Z'];
    for (const format of ['text', 'json', 'markdown']) await main(['plan', ...flags, '--format', format], io);

    const passwords: string[] = [];
    const recording = (): string => {
      const p = generatePassword();
      passwords.push(p);
      return p;
    };
    const applied = await runApply(flags, io, { generatePassword: recording });
    expect({ applied, tail: applied === 0 ? '' : printed.slice(-1500) }).toEqual({ applied: 0, tail: '' });
    for (const format of ['text', 'json', 'markdown']) await main(['plan', ...flags, '--format', format], io);
    repo.commit('after apply: everything left in the work tree');

    expect(passwords).toHaveLength(15);
    const git = execFileSync('git', ['log', '-p', '--all', '--format=%H %s%n%b'], { cwd: repo.dir, encoding: 'utf8' });
    const workTree = filesUnder(repo.dir)
      .filter((p) => !p.includes('/.git/'))
      .map((p) => readFileSync(p, 'utf8'))
      .join('\n');
    // The run went to the access-audit branch (the default in a checkout); `git log --all` holds it too.
    const audit = repo.git('log', '-p', 'access-audit', '--format=');
    expect(audit).toContain('apply.completed');

    // 15 welcome messages to the people and 15 hand-over messages.
    expect(smtp.messages).toHaveLength(30);
    const handovers = smtp.messages.filter((m) => passwords.some((p) => m.text.includes(p)));
    const others = smtp.messages.filter((m) => !handovers.includes(m));
    expect(handovers).toHaveLength(15);
    const people = readdirSync(join(SAMPLE_DIR, 'people')).map((f) =>
      readFileSync(join(SAMPLE_DIR, 'people', f), 'utf8'),
    );
    const emailOf = (uid: string): string =>
      /^email: (.*)$/m.exec(people.find((t) => t.includes(`\nuid: ${uid}\n`))!)![1]!;
    for (const message of handovers) {
      // Sent to mjohnson, cgarcia, ... : a manager or sponsor, never the person the account is for.
      const uid = /An account was created for [^(]*\((\S+)\)/.exec(message.text)![1]!;
      expect(message.to).not.toContain(emailOf(uid));
      expect(passwords.filter((p) => message.text.includes(p))).toHaveLength(1);
    }

    const haystack = [
      printed,
      readFileSync(summary, 'utf8'),
      audit,
      git,
      workTree,
      ...others.map((m) => `${m.raw}\n${m.text}`),
    ].join('\n');
    expect(printed).toContain('Applied 32 actions');
    expect(readFileSync(summary, 'utf8')).toContain('### Directory apply');
    expect(passwords.length).toBeGreaterThan(0); // passwords were made, so the search below can fail
    for (const password of passwords) expect(haystack.includes(password)).toBe(false);
    // The bind password is a secret too.
    expect(haystack.includes(slapd.adminPassword)).toBe(false);
  });
});
