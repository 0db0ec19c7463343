import { afterEach, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import nock from 'nock';
import type { GitHubClient } from '../../src/adapters/github/approval-octokit.js';
import { readSideFromGitHub } from '../../src/adapters/github/read-side-from-github.js';
import { readTree } from '../../src/adapters/github/read-tree.js';
import { GitHubError } from '../../src/errors.js';
import { seedOrganisation, startTestGitHub, TEST_INSTALLATION_TOKEN } from '../helpers/github-server/index.js';
import type { TestGitHub, TestGitHubOptions } from '../helpers/github-server/index.js';

// The git trees API against a GitHub that enforces GitHub's limits (test/helpers/github-server):
// one request for an ordinary repository, a walk when GitHub truncates, a failure when it cannot know.

let github: TestGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const where = { owner: 'example', repo: 'access' };

async function start(options: TestGitHubOptions = {}): Promise<{ github: TestGitHub; octokit: GitHubClient }> {
  github = await startTestGitHub(options);
  const octokit = new Octokit({ auth: TEST_INSTALLATION_TOKEN, baseUrl: github.apiUrl, log: SILENT });
  return { github, octokit: octokit as unknown as GitHubClient };
}

describe('readTree (git trees API)', () => {
  it('reads every file of a commit in one request, with modes and blob ids as git has them', async () => {
    const { github, octokit } = await start();
    const sha = github.state.store.commitFiles({
      'access/policy.yaml': 'kind: Policy\n',
      'scripts/run.sh': { executable: '#!/bin/sh\n' },
      'link.yaml': { symlink: 'access/policy.yaml' },
      'README.md': 'hello\n',
    });
    const read = await readTree(octokit, { ...where, sha });
    expect(read.requests).toBe(1);
    expect([...read.files.keys()].sort()).toEqual(['README.md', 'access/policy.yaml', 'link.yaml', 'scripts/run.sh']);
    expect(read.files.get('scripts/run.sh')).toMatchObject({ mode: '100755', type: 'blob' });
    expect(read.files.get('link.yaml')).toMatchObject({ mode: '120000' });
    expect(read.files.get('README.md')!.sha).toBe(github.state.store.putBlob('hello\n'));
  });

  it('walks the folders when GitHub truncates the recursive listing, and finds every file', async () => {
    const { github, octokit } = await start({ limits: { treeEntries: 300 } });
    const { files, sha } = seedOrganisation(github.state, { people: 1000, systems: 20 });
    const read = await readTree(octokit, { ...where, sha });
    expect(read.files.size).toBe(files.size);
    expect([...read.files.keys()].sort()).toEqual([...files.keys()].sort());
    expect(read.requests).toBeGreaterThan(1);
  });

  it('fails closed when the tree cannot be read', async () => {
    const { octokit } = await start();
    await expect(readTree(octokit, { ...where, sha: 'f'.repeat(40) })).rejects.toBeInstanceOf(GitHubError);
  });

  it('fails closed when even one folder level comes back truncated (GitHub cannot list it)', async () => {
    nock.disableNetConnect();
    const api = 'https://api.github.test';
    const truncated = {
      sha: 'a'.repeat(40),
      truncated: true,
      tree: [{ path: 'x', mode: '100644', type: 'blob', sha: 'b'.repeat(40) }],
    };
    const scope = nock(api)
      .get(/\/git\/trees\//)
      .times(2)
      .reply(200, truncated);
    const octokit = new Octokit({ baseUrl: api, log: SILENT }) as unknown as GitHubClient;
    try {
      await expect(readTree(octokit, { ...where, sha: 'a'.repeat(40) })).rejects.toThrow(
        /more entries than GitHub lists/,
      );
      expect(scope.isDone()).toBe(true);
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }
  });
});

describe('readSideFromGitHub', () => {
  it('reads the tree and the texts of one commit in two requests, and the CODEOWNERS GitHub would use', async () => {
    const { github, octokit } = await start();
    const sha = github.state.store.commitFiles({
      'access/policy.yaml': 'kind: Policy\n',
      'access/people/a.yaml': 'kind: Person\n',
      'access/.hidden/b.yaml': 'kind: Person\n',
      CODEOWNERS: '* @root-owner\n',
      'docs/CODEOWNERS': '* @docs-owner\n',
      '.github/workflows/ci.yml': 'on: push\n',
    });
    const mark = github.state.calls.length;
    const side = await readSideFromGitHub(octokit, { ...where, ref: sha, accessDir: 'access' });
    expect(github.state.callsSince(mark).map((c) => c.route)).toHaveLength(2);
    expect(side.files.map((f) => f.path)).toEqual(['access/people/a.yaml', 'access/policy.yaml']);
    expect(side.codeowners).toEqual({ path: 'CODEOWNERS', text: '* @root-owner\n' });
    expect([...side.blobs.keys()].sort()).toEqual([
      '.github/workflows/ci.yml',
      'CODEOWNERS',
      'access/.hidden/b.yaml',
      'access/people/a.yaml',
      'access/policy.yaml',
      'docs/CODEOWNERS',
    ]);
  });
});
