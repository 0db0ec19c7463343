import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRetiredIdentities } from '../../src/adapters/git/read-retired-identities.js';
import { main } from '../../src/entrypoints/cli/main.js';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { positionOf, SAMPLE_DIR } from '../helpers/sample-tree.js';

const JANE = readFileSync(`${SAMPLE_DIR}/people/jsmith.yaml`, 'utf8');
let repo: GitRepo;
afterEach(() => repo?.cleanup());

async function validateJson(
  dir: string,
): Promise<{ code: number; diagnostics: Array<{ code: string; file: string; line: number; column: number }> }> {
  let out = '';
  const code = await main(['validate', 'access', '--format', 'json', '--now', '2026-11-22T12:00:00Z'], {
    stdout: (t) => (out += t),
    stderr: () => undefined,
    isTTY: false,
    cwd: dir,
    env: {},
  });
  return { code, diagnostics: JSON.parse(out) };
}

describe('identifiers retired in git history', () => {
  it('a deleted person file retires its uid and email', async () => {
    repo = createGitRepo({ withSample: SAMPLE_DIR });
    repo.commit('seed');
    repo.remove('access/people/jsmith.yaml');
    const removal = repo.commit('Jane Smith leaves');
    const retired = await readRetiredIdentities(join(repo.dir, 'access'));
    expect(retired).toEqual([
      {
        uid: 'jsmith',
        email: 'jane.smith@example.org',
        employeeId: 'EMP-45678',
        name: 'Jane Smith',
        evidence: `commit ${removal.slice(0, 10)}`,
      },
    ]);
  });

  it('giving the uid to a different person later is UID_REUSED at the uid', async () => {
    repo = createGitRepo({ withSample: SAMPLE_DIR });
    repo.commit('seed');
    repo.remove('access/people/jsmith.yaml');
    repo.commit('Jane Smith leaves');
    const john = JANE.replace('Jane Smith', 'John Smith')
      .replace('jane.smith@', 'john.smith@')
      .replace('EMP-45678', 'EMP-50001');
    repo.write('access/people/jsmith.yaml', john);
    const { code, diagnostics } = await validateJson(repo.dir);
    expect(code).toBe(1);
    expect(diagnostics).toMatchObject([
      { code: 'UID_REUSED', file: 'access/people/jsmith.yaml', ...positionOf(john, 'jsmith\n') },
    ]);
  });

  it('setting status: deleted retires the email; a new person may not take it', async () => {
    repo = createGitRepo({ withSample: SAMPLE_DIR });
    repo.commit('seed');
    repo.write(
      'access/people/jsmith.yaml',
      JANE.replace('status: active', 'status: deleted').replace(/grants:[\s\S]*$/, 'grants: []\n'),
    );
    repo.commit('delete Jane');
    repo.remove('access/people/jsmith.yaml');
    repo.commit('drop the file');
    const other = JANE.replace(/jsmith/g, 'jsmith2')
      .replace('Jane Smith', 'Janet Smith')
      .replace('EMP-45678', 'EMP-50002');
    repo.write('access/people/jsmith2.yaml', other);
    const { diagnostics } = await validateJson(repo.dir);
    expect(diagnostics).toMatchObject([
      { code: 'EMAIL_REUSED', file: 'access/people/jsmith2.yaml', ...positionOf(other, 'jane.smith@example.org') },
    ]);
  });

  it('a renamed person keeps their email without a false alarm', async () => {
    repo = createGitRepo({ withSample: SAMPLE_DIR });
    repo.commit('seed');
    repo.remove('access/people/jsmith.yaml');
    repo.write('access/people/jsmith-doe.yaml', JANE.replace('uid: jsmith', 'uid: jsmith-doe'));
    repo.commit('Jane changes her uid');
    const { code, diagnostics } = await validateJson(repo.dir);
    expect(diagnostics).toEqual([]);
    expect(code).toBe(0);
  });

  it('the same person returning is not a reuse', async () => {
    repo = createGitRepo({ withSample: SAMPLE_DIR });
    repo.commit('seed');
    repo.remove('access/people/jsmith.yaml');
    repo.commit('Jane leaves');
    repo.write('access/people/jsmith.yaml', JANE);
    repo.commit('Jane is rehired');
    const { code } = await validateJson(repo.dir);
    expect(code).toBe(0);
  });

  it('outside git there is no history, and tombstones still apply', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aac-nogit-'));
    try {
      expect(await readRetiredIdentities(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('a repository without commits has no history', async () => {
    repo = createGitRepo({ withSample: SAMPLE_DIR });
    expect(await readRetiredIdentities(join(repo.dir, 'access'))).toEqual([]);
  });
});
