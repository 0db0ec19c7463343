import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitRepo } from './git-repo.js';

/**
 * Rewrites a month file on the audit branch with an ordinary commit, as someone with push
 * access could: `edit` gets the file's lines and returns the new ones.
 */
export function tamperAuditFile(
  repo: GitRepo,
  file: string,
  edit: (lines: string[]) => string[],
  branch = 'access-audit',
): void {
  const dir = join(mkdtempSync(join(tmpdir(), 'aac-tamper-')), 'wt');
  repo.git('worktree', 'add', '-q', dir, branch);
  try {
    const path = join(dir, file);
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    writeFileSync(path, `${edit(lines).join('\n')}\n`);
    execFileSync(
      'git',
      [
        '-c',
        'user.name=Mallory',
        '-c',
        'user.email=mallory@example.org',
        'commit',
        '-q',
        '--no-gpg-sign',
        '-am',
        'tidy audit log',
      ],
      { cwd: dir, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1' } },
    );
  } finally {
    repo.git('worktree', 'remove', '--force', dir);
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}
