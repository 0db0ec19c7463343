import { afterEach, describe, expect, it } from 'vitest';
import { createApprovalOctokit } from '../../src/adapters/github/approval-octokit.js';
import type { GitHubClient } from '../../src/adapters/github/approval-octokit.js';
import { fetchBlobs, gitBlobSha } from '../../src/adapters/github/fetch-blobs.js';
import type { FetchCounts, WantedBlob } from '../../src/adapters/github/fetch-blobs.js';
import { GitHubError } from '../../src/errors.js';
import { seedOrganisation, startTestGitHub, TEST_INSTALLATION_TOKEN } from '../helpers/github-server/index.js';
import type { TestGitHub, TestGitHubOptions } from '../helpers/github-server/index.js';

// Blob reading against the test GitHub, whose GraphQL refuses ~100 KB of blob text per query
// and whose archive honours .gitattributes: every byte must come back exactly, or fail.

let github: TestGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

async function start(options: TestGitHubOptions = {}): Promise<{ github: TestGitHub; octokit: GitHubClient }> {
  github = await startTestGitHub(options);
  const Octokit = createApprovalOctokit({ retry: false, throttle: false });
  const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  return {
    github,
    octokit: new Octokit({ auth: { token: TEST_INSTALLATION_TOKEN }, baseUrl: github.apiUrl, log: silent }),
  };
}

/** Every blob of the tree at `commit`, as the trees API names them. */
function wantedAt(
  github: TestGitHub,
  commit: string,
  filter = (path: string) => path.startsWith('access/'),
): WantedBlob[] {
  const store = github.state.store;
  return [...store.walk(store.treeOf(commit)!)]
    .filter((e) => e.type === 'blob' && filter(e.path))
    .map((e) => ({ sha: e.sha, size: store.blobs.get(e.sha)!.length, path: e.path }));
}

function expectExact(github: TestGitHub, got: Map<string, Uint8Array>, wanted: WantedBlob[]): void {
  expect(got.size).toBe(new Set(wanted.map((w) => w.sha)).size);
  for (const w of wanted) expect(Buffer.from(got.get(w.sha)!).equals(github.state.store.blobs.get(w.sha)!)).toBe(true);
}

const where = { owner: 'example', repo: 'access' };

describe('fetchBlobs', () => {
  it('a cold start reads the archive once: no GraphQL, no blob requests', async () => {
    const { github, octokit } = await start();
    const { sha } = seedOrganisation(github.state, { people: 1200, systems: 20 });
    const wanted = wantedAt(github, sha);
    const counts: FetchCounts = { archive: 0, graphql: 0, rest: 0 };
    const got = await fetchBlobs(octokit, wanted, { ...where, commit: sha }, counts);
    expectExact(github, got, wanted);
    expect(counts).toEqual({ archive: 1, graphql: 0, rest: 0 });
  });

  it('fewer blobs go in GraphQL batches inside the text budget: GitHub never has to refuse one', async () => {
    const { github, octokit } = await start();
    const { sha } = seedOrganisation(github.state, { people: 300, systems: 20 });
    const wanted = wantedAt(github, sha);
    const counts: FetchCounts = { archive: 0, graphql: 0, rest: 0 };
    const got = await fetchBlobs(octokit, wanted, { ...where, commit: sha, archiveAbove: 10_000 }, counts);
    expectExact(github, got, wanted);
    // As few queries as the budget (48 KiB of text, 100 blobs) allows: greedy packing wastes at most one.
    const fewest = Math.max(
      Math.ceil(wanted.reduce((n, w) => n + w.size, 0) / (48 * 1024)),
      Math.ceil(wanted.length / 100),
    );
    expect(counts.graphql).toBeGreaterThanOrEqual(fewest);
    expect(counts.graphql).toBeLessThanOrEqual(fewest + 1);
    expect(counts.rest).toBe(0);
    expect(github.state.calls.filter((c) => c.status >= 500)).toEqual([]);
  });

  it('a batch GitHub cannot serve ("Something went wrong") is split until it can', async () => {
    const { github, octokit } = await start();
    const { sha } = seedOrganisation(github.state, { people: 300, systems: 20 });
    const wanted = wantedAt(github, sha);
    const warnings: string[] = [];
    const got = await fetchBlobs(octokit, wanted, {
      ...where,
      commit: sha,
      archiveAbove: 10_000,
      textBudget: 400_000,
      maxPerQuery: 1000,
      warn: (_f, message) => warnings.push(message),
    });
    expectExact(github, got, wanted);
    expect(github.state.calls.filter((c) => c.status === 500).length).toBeGreaterThan(0);
    expect(warnings).toContain('GitHub could not serve a batch of blobs; splitting it');
  });

  it('reads byte for byte what GraphQL cannot give as its text: Latin-1, NUL bytes, a file over the budget', async () => {
    const { github, octokit } = await start();
    const files = new Map<string, string | Uint8Array>([
      ['access/people/latin.yaml', Buffer.from('name: Ren\xe9e\n', 'latin1')],
      ['access/people/nul.yaml', Buffer.from([0x6b, 0x00, 0x0a])],
      ['access/people/big.yaml', `${'x: y\n'.repeat(20_000)}`],
      ['access/people/plain.yaml', 'kind: Person\n'],
    ]);
    const sha = github.state.store.commitFiles(files, { branch: 'main' });
    const wanted = wantedAt(github, sha);
    const counts: FetchCounts = { archive: 0, graphql: 0, rest: 0 };
    const got = await fetchBlobs(octokit, wanted, { ...where, commit: sha, archiveAbove: 10_000 }, counts);
    expectExact(github, got, wanted);
    expect(counts).toEqual({ archive: 0, graphql: 1, rest: 3 });
    // The archive has their bytes too: more than one query's worth is one download.
    const viaArchive: FetchCounts = { archive: 0, graphql: 0, rest: 0 };
    expectExact(github, await fetchBlobs(octokit, wanted, { ...where, commit: sha }, viaArchive), wanted);
    expect(viaArchive).toEqual({ archive: 1, graphql: 0, rest: 0 });
  });

  it('reads a bounded number of blobs one by one: past it, the read fails closed', async () => {
    const { github, octokit } = await start();
    const files = new Map(
      [1, 2, 3].map((i) => [`access/people/bin${i}.yaml`, Buffer.from([0x6b, 0x00, 0x30 + i])] as const),
    );
    const sha = github.state.store.commitFiles(files, { branch: 'main' });
    const wanted = wantedAt(github, sha);
    const options = { ...where, commit: sha, archiveAbove: 10_000, maxExactReads: 2 };
    await expect(fetchBlobs(octokit, wanted, options)).rejects.toThrow(/not UTF-8 text/);
  });

  it('files the archive rewrites (export-subst) or leaves out (export-ignore) are read exactly all the same', async () => {
    const { github, octokit } = await start();
    const { files } = seedOrganisation(github.state, { people: 600, systems: 20 });
    files.set('.gitattributes', 'access/people/user00001.yaml export-subst\naccess/orgs export-ignore\n');
    files.set('access/people/user00001.yaml', `${files.get('access/people/user00001.yaml')}# $Format:%H$\n`);
    const sha = github.state.store.commitFiles(files, { branch: 'main' });
    const wanted = wantedAt(github, sha);
    const counts: FetchCounts = { archive: 0, graphql: 0, rest: 0 };
    const got = await fetchBlobs(octokit, wanted, { ...where, commit: sha }, counts);
    expectExact(github, got, wanted);
    expect(counts).toEqual({ archive: 1, graphql: 1, rest: 0 });
    expect(Buffer.from(got.get(wanted.find((w) => w.path.endsWith('user00001.yaml'))!.sha)!).toString()).toContain(
      '$Format:%H$',
    );
  });

  it('an archive that cannot be read costs requests, not correctness', async () => {
    const { github, octokit } = await start();
    const { sha } = seedOrganisation(github.state, { people: 600, systems: 20 });
    const wanted = wantedAt(github, sha);
    const warnings: string[] = [];
    const got = await fetchBlobs(
      octokit,
      wanted,
      // The archive route answers 404 for a commit it does not know; blobs are asked by SHA.
      { ...where, commit: 'f'.repeat(40), warn: (_f, m) => warnings.push(m) },
    );
    expectExact(github, got, wanted);
    expect(warnings).toEqual(['repository archive unusable; reading blobs one batch at a time']);
  });

  it('fails closed on a blob the repository does not have', async () => {
    const { github, octokit } = await start();
    const { sha } = seedOrganisation(github.state, { people: 5, systems: 2 });
    const missing = { sha: gitBlobSha(new TextEncoder().encode('nowhere')), size: 7, path: 'access/people/ghost.yaml' };
    await expect(fetchBlobs(octokit, [missing], { ...where, commit: sha })).rejects.toBeInstanceOf(GitHubError);
  });
});

describe('TarReader', () => {
  it('reads the same files however the archive is cut into chunks, and refuses a cut or damaged one', async () => {
    const { GitStore } = await import('../helpers/github-server/index.js');
    const { writeTarball } = await import('../helpers/github-server/tarball.js');
    const { TarReader } = await import('../../src/adapters/github/read-archive-blobs.js');
    const { gunzipSync } = await import('node:zlib');
    const store = new GitStore();
    const files = new Map<string, string>([
      ['a/empty.yaml', ''],
      ['a/block.yaml', 'x'.repeat(512)],
      [`deep/${'d'.repeat(120)}/file.yaml`, 'long path\n'],
      ['z.yaml', 'y'.repeat(1300)],
    ]);
    const commit = store.commitFiles(files);
    const tar = gunzipSync(writeTarball(store, commit, 'top'));
    const read = (size: number): string[] => {
      const got: string[] = [];
      const reader = new TarReader((bytes) => got.push(Buffer.from(bytes).toString()));
      for (let i = 0; i < tar.length; i += size) reader.push(tar.subarray(i, i + size));
      reader.end();
      return got.sort();
    };
    const expected = [...files.values()].sort();
    for (const size of [1, 7, 511, 512, 513, 4096, tar.length]) expect(read(size)).toEqual(expected);
    const cut = new TarReader(() => {});
    cut.push(tar.subarray(0, 2048));
    expect(() => cut.end()).toThrow(/ended early/);
    const damaged = Buffer.from(tar);
    damaged[1030] = damaged[1030]! ^ 0xff; // the name in the second header (after the pax global header and its block)
    expect(() => new TarReader(() => {}).push(damaged)).toThrow(/checksum/);
  });
});
