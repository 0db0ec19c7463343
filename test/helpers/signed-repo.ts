import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitRepo } from './git-repo.js';
import type { GitRepo } from './git-repo.js';

export interface SignedRepo extends GitRepo {
  /** The SSH allowed-signers file that trusts `trusted` only. */
  allowedSigners: string;
  /** The trusted SSH key's public half, for `user.signingkey` (e.g. to sign audit commits). */
  signingKey: string;
  /** GPG home whose keyring holds (and trusts) the test's stand-in for GitHub's web-flow key; undefined unless asked for. */
  gnupgHome: string | undefined;
  /** Commits everything staged or not, signed by the trusted SSH key unless `key` says otherwise. */
  commitAs: (
    message: string,
    options?: { key?: 'trusted' | 'untrusted' | 'none'; author?: { name: string; email: string }; date?: string },
  ) => string;
  /** Merges `branch` into main as GitHub's merge button does: `Merge pull request #pr from owner/branch`, committer GitHub, GPG-signed. */
  mergePullRequest: (branch: string, pr: number, from: string, options?: { date?: string; signed?: boolean }) => string;
}

/**
 * A real repository with SSH commit signing (keys made by ssh-keygen in a temp folder, an
 * allowed-signers file trusting one of them) and, with `github: true`, a GPG key standing in
 * for GitHub's, so merges look like GitHub's merge button made them.
 */
export function createSignedRepo(options: { withSample?: string; github?: boolean } = {}): SignedRepo {
  const repo = createGitRepo(options.withSample ? { withSample: options.withSample } : {});
  const keys = mkdtempSync(join(tmpdir(), 'aac-keys-'));
  for (const name of ['trusted', 'untrusted'])
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', join(keys, name)]);
  const allowedSigners = join(keys, 'allowed_signers');
  writeFileSync(
    allowedSigners,
    `author@example.org namespaces="git" ${execFileSync('cat', [join(keys, 'trusted.pub')], { encoding: 'utf8' })}`,
  );
  repo.git('config', 'gpg.format', 'ssh');
  repo.git('config', 'gpg.ssh.allowedSignersFile', allowedSigners);

  let gnupgHome: string | undefined;
  let githubKey = '';
  if (options.github) {
    gnupgHome = join(keys, 'gnupg');
    execFileSync('mkdir', ['-m', '700', gnupgHome]);
    execFileSync(
      'gpg',
      [
        '--batch',
        '--quiet',
        '--passphrase',
        '',
        '--quick-gen-key',
        'GitHub <noreply@github.com>',
        'ed25519',
        'sign',
        'never',
      ],
      { env: { ...process.env, GNUPGHOME: gnupgHome }, stdio: 'ignore' },
    );
    githubKey = /fpr:+([0-9A-F]{40}):/.exec(
      execFileSync('gpg', ['--list-keys', '--with-colons'], {
        env: { ...process.env, GNUPGHOME: gnupgHome },
        encoding: 'utf8',
      }),
    )![1]!;
  }

  const run = (args: string[], env: Record<string, string> = {}): string =>
    execFileSync('git', args, {
      cwd: repo.dir,
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: repo.dir,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'Test Author',
        GIT_AUTHOR_EMAIL: 'author@example.org',
        GIT_COMMITTER_NAME: 'Test Author',
        GIT_COMMITTER_EMAIL: 'author@example.org',
        ...(gnupgHome ? { GNUPGHOME: gnupgHome } : {}),
        ...env,
      },
    }).trim();
  const dates = (date?: string): Record<string, string> =>
    date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {};

  return {
    ...repo,
    allowedSigners,
    signingKey: join(keys, 'trusted.pub'),
    gnupgHome,
    commitAs(message, o = {}) {
      run(['add', '-A']);
      const key = o.key ?? 'trusted';
      const author: Record<string, string> = o.author
        ? { GIT_AUTHOR_NAME: o.author.name, GIT_AUTHOR_EMAIL: o.author.email }
        : {};
      const args =
        key === 'none'
          ? ['commit', '--no-gpg-sign']
          : ['-c', `user.signingkey=${join(keys, `${key}.pub`)}`, 'commit', '-S'];
      run([...args, '-q', '--allow-empty', '-m', message], { ...author, ...dates(o.date) });
      return run(['rev-parse', 'HEAD']);
    },
    mergePullRequest(branch, pr, from, o = {}) {
      const signing = o.signed === false ? ['--no-gpg-sign'] : [`-S${githubKey}`];
      run(
        [
          '-c',
          'gpg.format=openpgp',
          'merge',
          '-q',
          '--no-ff',
          ...signing,
          '-m',
          `Merge pull request #${pr} from ${from}/${branch}`,
          branch,
        ],
        { GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.com', ...dates(o.date) },
      );
      return run(['rev-parse', 'HEAD']);
    },
    cleanup() {
      if (gnupgHome) execFileSync('gpgconf', ['--homedir', gnupgHome, '--kill', 'gpg-agent'], { stdio: 'ignore' });
      repo.cleanup();
      rmSync(keys, { recursive: true, force: true });
    },
  };
}
