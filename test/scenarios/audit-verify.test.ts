import { afterEach, describe, expect, it } from 'vitest';
import { createGitAuditLog } from '../../src/adapters/git/git-audit-log.js';

import { approvals, chain } from '../helpers/audit-events.js';
import { runCli } from '../helpers/run-cli.js';
import { createSignedRepo } from '../helpers/signed-repo.js';
import type { SignedRepo } from '../helpers/signed-repo.js';
import { tamperAuditFile } from '../helpers/tamper-audit.js';

const repos: SignedRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function signedRepo(github = false): SignedRepo {
  const repo = createSignedRepo({ github });
  repos.push(repo);
  return repo;
}

/** An audit log whose commits are signed by the trusted key, as a reconciler with commit.gpgSign writes it. */
async function addSignedLog(repo: SignedRepo, n = 1): Promise<void> {
  repo.git('config', 'user.signingkey', repo.signingKey);
  repo.git('config', 'commit.gpgsign', 'true');
  await createGitAuditLog({ repoDir: repo.dir }).append(approvals('mjohnson', n));
  repo.git('config', '--unset', 'commit.gpgsign');
}

const verify = (repo: SignedRepo, ...args: string[]) =>
  runCli(['audit', 'verify', ...args], { cwd: repo.dir, env: repo.gnupgHome ? { GNUPGHOME: repo.gnupgHome } : {} });

describe('aac audit verify: signatures', () => {
  it('accepts commits signed by trusted keys and merges signed by GitHub', async () => {
    const repo = signedRepo(true);
    repo.write('access/README.md', 'x\n');
    repo.commitAs('initial');
    repo.git('checkout', '-q', '-b', 'request/crm');
    repo.write('access/people.txt', 'jsmith\n');
    repo.commitAs('Give jsmith CRM');
    repo.git('checkout', '-q', 'main');
    repo.mergePullRequest('request/crm', 12, 'jsmith-ex');
    await addSignedLog(repo);
    const out = await verify(repo, '--format', 'json');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      ok: true,
      commits: 3,
      accepted: { 'trusted-key': 2, github: 1 },
      signatures: [],
      log: [],
    });
  });

  it('names unsigned, untrusted and GitHub-unverifiable commits, and exits 1', async () => {
    const repo = signedRepo(true);
    repo.commitAs('initial');
    const unsigned = repo.commitAs('sneaky change', { key: 'none' });
    const untrusted = repo.commitAs('signed by a stranger', { key: 'untrusted' });
    repo.git('checkout', '-q', '-b', 'topic');
    repo.commitAs('topic work');
    repo.git('checkout', '-q', 'main');
    const merge = repo.mergePullRequest('topic', 13, 'someone');
    const out = await verify(repo, '--format', 'json');
    expect(out.code).toBe(1);
    const verdict = JSON.parse(out.stdout) as { signatures: Array<{ kind: string; commit: string }> };
    expect(verdict.signatures.map((s) => [s.kind, s.commit])).toEqual([
      ['untrusted-key', untrusted],
      ['unsigned', unsigned],
    ]);
    const text = await verify(repo);
    expect(text.stdout).toContain(`commit ${unsigned.slice(0, 12)} unsigned`);
    expect(text.stdout).toMatch(/^FAILED: 3 of 5 commits/m);

    // Without GitHub's key in the keyring, the merge cannot be checked.
    const noKeyring = await runCli(['audit', 'verify', '--format', 'json'], { cwd: repo.dir, env: {} });
    expect(
      (JSON.parse(noKeyring.stdout) as { signatures: Array<{ kind: string; commit: string }> }).signatures,
    ).toContainEqual(expect.objectContaining({ kind: 'cannot-check', commit: merge }));
  });

  it('--since REF judges only the later commits', async () => {
    const repo = signedRepo();
    const unsigned = repo.commitAs('old unsigned commit', { key: 'none' });
    repo.commitAs('signed since');
    await addSignedLog(repo);
    expect((await verify(repo)).code).toBe(1);
    const out = await verify(repo, '--since', unsigned);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^ok: 1 of 1 commits/m);
  });

  it('reads SSH signatures as unsigned without an allowed-signers file, and says so', async () => {
    const repo = signedRepo();
    repo.commitAs('signed');
    await addSignedLog(repo);
    repo.git('config', '--unset', 'gpg.ssh.allowedSignersFile');
    const out = await verify(repo);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('allowed-signers');
    expect((await verify(repo, '--allowed-signers', repo.allowedSigners)).code).toBe(0);
  });
});

describe('aac audit verify: the audit log', () => {
  async function repoWithLog(): Promise<SignedRepo> {
    const repo = signedRepo();
    repo.commitAs('initial');
    await addSignedLog(repo, 4);
    return repo;
  }
  const problems = async (repo: SignedRepo) => {
    const out = await verify(repo, '--format', 'json');
    return {
      code: out.code,
      log: (
        JSON.parse(out.stdout) as { log: Array<{ kind: string; file: string; line: number; seq: number }> }
      ).log.map((p) => [p.kind, p.line, p.seq]),
    };
  };

  it('passes an intact log', async () => {
    const repo = await repoWithLog();
    expect(await problems(repo)).toEqual({ code: 0, log: [] });
  });

  it('finds an edited record', async () => {
    const repo = await repoWithLog();
    tamperAuditFile(repo, 'audit/2026-11.jsonl', (lines) =>
      lines.map((l, i) => (i === 1 ? l.replace('"actor":"mjohnson"', '"actor":"mallory"') : l)),
    );
    expect(await problems(repo)).toEqual({ code: 1, log: [['hash-mismatch', 2, 2]] });
  });

  it('finds a removed record', async () => {
    const repo = await repoWithLog();
    tamperAuditFile(repo, 'audit/2026-11.jsonl', (lines) => lines.filter((_, i) => i !== 1));
    expect(await problems(repo)).toEqual({
      code: 1,
      log: [
        ['sequence-gap', 2, 3],
        ['broken-link', 2, 3],
      ],
    });
  });

  it('finds an inserted record, even one hashed and chained like a real one', async () => {
    const repo = await repoWithLog();
    tamperAuditFile(repo, 'audit/2026-11.jsonl', (lines) => {
      const forged = chain(JSON.parse(lines[0]!), approvals('mallory', 1))[0]!;
      return [lines[0]!, JSON.stringify(forged), ...lines.slice(1)];
    });
    expect((await problems(repo)).log).toEqual([
      ['sequence-gap', 3, 2],
      ['broken-link', 3, 2],
    ]);
  });

  it('finds reordered records', async () => {
    const repo = await repoWithLog();
    tamperAuditFile(repo, 'audit/2026-11.jsonl', (lines) => [lines[0]!, lines[2]!, lines[1]!, lines[3]!]);
    const { code, log } = await problems(repo);
    expect(code).toBe(1);
    expect(log.map(([kind, line]) => [kind, line])).toEqual([
      ['sequence-gap', 2],
      ['broken-link', 2],
      ['sequence-gap', 3],
      ['broken-link', 3],
      ['sequence-gap', 4],
      ['broken-link', 4],
    ]);
  });

  it('names a line that is not a record at all', async () => {
    const repo = await repoWithLog();
    tamperAuditFile(repo, 'audit/2026-11.jsonl', (lines) => [...lines, 'garbage']);
    const out = await verify(repo);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('audit/2026-11.jsonl:5: audit unreadable-line');
  });
});
