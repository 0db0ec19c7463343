import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface GitRepo {
  dir: string;
  git: (...args: string[]) => string;
  write: (path: string, text: string) => void;
  remove: (path: string) => void;
  /** Stages everything and commits; returns the new commit's SHA. */
  commit: (message: string) => string;
  cleanup: () => void;
}

/** A real git repository in a temp folder, with a fixed identity and no global config. */
export function createGitRepo(options: { withSample?: string } = {}): GitRepo {
  const dir = mkdtempSync(join(tmpdir(), 'aac-git-'));
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.org',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.org',
  };
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  if (options.withSample) cpSync(options.withSample, join(dir, 'access'), { recursive: true });
  return {
    dir,
    git,
    write: (path, text) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    remove: (path) => rmSync(join(dir, path)),
    commit: (message) => {
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
