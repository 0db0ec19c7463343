import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGitHistory } from '../../src/adapters/git/read-git-history.js';
import { GIT_LOG_ARGS, parseGitLog } from '../../src/core/audit/parse-git-log.js';
import { InputError } from '../../src/errors.js';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';

// Enough history that git writes several megabytes, so Node reads the file while git is still
// writing it and chunk boundaries fall inside commits and inside multi-byte characters.
const COMMITS = 6000;
let repo: GitRepo;

beforeAll(() => {
  repo = createGitRepo();
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  const parts: string[] = [];
  for (let i = 1; i <= COMMITS; i++) {
    const who = `Zoë Ñandú-${i} <zoe${i}@example.org> ${1_767_225_600 + i * 60} +0100`;
    parts.push(
      `commit refs/heads/main\nauthor ${who}\ncommitter ${who}\n`,
      data(`Änderung ${i}: ${'✓'.repeat(i % 50)} (#${i})`),
      `M 100644 inline access/people/p${i % 40}.yaml\n`,
      data(`uid: p${i % 40}\nn: ${i}\n`),
    );
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo.dir, input: parts.join(''), maxBuffer: 1 << 28 });
}, 60_000);
afterAll(() => repo.cleanup());

describe('readGitHistory', () => {
  it('reads the whole history while git writes it, the same as parsing git log at once', async () => {
    const expected = parseGitLog(
      execFileSync('git', [...GIT_LOG_ARGS, 'main', '--'], { cwd: repo.dir, maxBuffer: 1 << 28, encoding: 'utf8' }),
    );
    expect(Buffer.byteLength(JSON.stringify(expected))).toBeGreaterThan(2 << 20);
    const commits = await readGitHistory({ repoDir: repo.dir, range: 'main' });
    expect(commits).toHaveLength(COMMITS);
    expect(commits).toEqual(expected);
    expect(commits[0]).toMatchObject({
      subject: `Änderung ${COMMITS}: ${'✓'.repeat(COMMITS % 50)} (#${COMMITS})`,
      author: { name: `Zoë Ñandú-${COMMITS}` },
      files: [{ status: 'M', path: `access/people/p${COMMITS % 40}.yaml` }],
    });
  });

  it('reads from a folder inside the work tree as from its top', async () => {
    const top = await readGitHistory({ repoDir: repo.dir, range: 'main~10..main' });
    repo.write('access/notes/readme.txt', 'x');
    const inside = await readGitHistory({ repoDir: `${repo.dir}/access/notes`, range: 'main~10..main' });
    expect(inside).toEqual(top);
    expect(top).toHaveLength(10);
  });

  it("fails with git's message for a range that does not exist", async () => {
    await expect(readGitHistory({ repoDir: repo.dir, range: 'no-such-branch' })).rejects.toThrow(InputError);
    await expect(readGitHistory({ repoDir: repo.dir, range: 'no-such-branch' })).rejects.toThrow(
      /git log failed: fatal: .*no-such-branch/,
    );
  });
});
