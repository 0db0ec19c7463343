import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApprovalOctokit } from '../../src/adapters/github/approval-octokit.js';
import {
  seedOrganisation,
  SOMETHING_WENT_WRONG,
  startTestGitHub,
  TEST_INSTALLATION_TOKEN,
} from '../helpers/github-server/index.js';
import type { TestGitHub, TestGitHubOptions } from '../helpers/github-server/index.js';

// The test GitHub must fail the way GitHub does, or the tests built on it prove nothing: each
// limit is reached here with a real client (Octokit) over HTTP on 127.0.0.1.

let github: TestGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

async function start(options: TestGitHubOptions = {}): Promise<{ github: TestGitHub; octokit: Octokit }> {
  github = await startTestGitHub(options);
  const octokit = new Octokit({ auth: TEST_INSTALLATION_TOKEN, baseUrl: github.apiUrl, log: SILENT });
  return { github, octokit };
}

const where = { owner: 'example', repo: 'access' };
const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('the test GitHub', () => {
  it('hashes blobs, trees and their order exactly as git does', async () => {
    const { github } = await start();
    const files = {
      'a.b': 'dot\n',
      'a/b': 'nested\n',
      'a-b': 'dash\n',
      'deep/er/file.yaml': 'kind: Person\n',
      'run.sh': { executable: '#!/bin/sh\n' },
      'link.yaml': { symlink: 'a.b' },
    };
    const tree = github.state.store.writeFiles(files);
    const dir = mkdtempSync(join(tmpdir(), 'aac-hash-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'], HOME: dir } }).trim();
      git('init', '-q');
      for (const [path, spec] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        if (typeof spec === 'string') writeFileSync(join(dir, path), spec);
        else if ('symlink' in spec) symlinkSync(spec.symlink, join(dir, path));
        else {
          writeFileSync(join(dir, path), spec.executable);
          chmodSync(join(dir, path), 0o755);
        }
      }
      git('add', '-A');
      expect(tree).toBe(git('write-tree'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses requests without the installation token', async () => {
    const { github } = await start();
    const response = await fetch(`${github.apiUrl}/repos/example/access`);
    expect(response.status).toBe(401);
  });

  it('truncates a recursive tree past the entry limit, and serves every subtree without recursion', async () => {
    const { github, octokit } = await start({ limits: { treeEntries: 500 } });
    const { sha } = seedOrganisation(github.state, { people: 1000, systems: 20 });
    const full = await octokit.git.getTree({ ...where, tree_sha: sha, recursive: '1' });
    expect(full.data.truncated).toBe(true);
    expect(full.data.tree).toHaveLength(500);
    const root = await octokit.git.getTree({ ...where, tree_sha: sha });
    expect(root.data.truncated).toBe(false);
    const access = root.data.tree.find((e) => e.path === 'access')!;
    const people = (await octokit.git.getTree({ ...where, tree_sha: access.sha! })).data.tree.find(
      (e) => e.path === 'people',
    )!;
    const listing = await octokit.git.getTree({ ...where, tree_sha: people.sha! });
    expect(listing.data.tree).toHaveLength(1000);
    expect(listing.data.truncated).toBe(false);
  });

  it('truncates a recursive tree past the byte limit (7 MB on GitHub)', async () => {
    const { github, octokit } = await start({ limits: { treeBytes: 100_000 } });
    const { sha } = seedOrganisation(github.state, { people: 1000, systems: 20 });
    const tree = await octokit.git.getTree({ ...where, tree_sha: sha, recursive: 'true' });
    expect(tree.data.truncated).toBe(true);
    expect(JSON.stringify(tree.data.tree).length).toBeLessThanOrEqual(100_000);
    expect(tree.data.tree.length).toBeGreaterThan(100);
  });

  it('lists at most 1,000 entries of a directory through the contents API', async () => {
    const { github, octokit } = await start();
    seedOrganisation(github.state, { people: 1500, systems: 10 });
    const listing = await octokit.repos.getContent({ ...where, path: 'access/people', ref: 'main' });
    expect(Array.isArray(listing.data) && listing.data.length).toBe(1000);
    const file = await octokit.repos.getContent({ ...where, path: 'access/people/user01499.yaml', ref: 'main' });
    const data = file.data as { content: string; encoding: string };
    expect(Buffer.from(data.content, 'base64').toString('utf8')).toContain('uid: user01499');
  });

  it('answers "Something went wrong" to a GraphQL query with too much blob text, and serves a smaller one', async () => {
    const { github, octokit } = await start();
    const { files } = seedOrganisation(github.state, { people: 400, systems: 10 });
    const query = `query ($e: String!) { repository(owner: "example", name: "access") {
      object(expression: $e) { ... on Tree { entries { path object { ... on Blob { text } } } } } } }`;
    const error = await octokit.graphql(query, { e: 'main:access/people' }).catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(500);
    expect(String((error as Error).message)).toContain(SOMETHING_WENT_WRONG.slice(0, 40));
    const small = await octokit.graphql<any>(query, { e: 'main:access/systems' });
    const entries = small.repository.object.entries as Array<{ path: string; object: { text: string } }>;
    expect(entries).toHaveLength(10);
    for (const entry of entries) expect(entry.object.text).toBe(files.get(entry.path));
  });

  it('refuses GraphQL connections without first/last, and pages team members with cursors', async () => {
    const { github, octokit } = await start();
    github.state.teams.set('example/ops', ['a', 'b', 'c']);
    const unbounded = await octokit
      .graphql('{ organization(login: "example") { team(slug: "ops") { members { nodes { login } } } } }')
      .catch((e: unknown) => e);
    expect(JSON.stringify((unbounded as { errors?: unknown }).errors)).toContain('MISSING_PAGINATION_BOUNDARIES');
    const page = `query ($after: String) { organization(login: "example") { team(slug: "ops") {
      members(first: 2, after: $after) { nodes { login } pageInfo { hasNextPage endCursor } } } } }`;
    const first = await octokit.graphql<any>(page, { after: null });
    expect(first.organization.team.members.nodes).toEqual([{ login: 'a' }, { login: 'b' }]);
    const second = await octokit.graphql<any>(page, { after: first.organization.team.members.pageInfo.endCursor });
    expect(second.organization.team.members).toEqual({
      nodes: [{ login: 'c' }],
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    });
  });

  it('gives a secondary rate limit (403, retry-after) past the points of a window, and keeps refusing until it passed', async () => {
    const { github, octokit } = await start({ limits: { restPoints: 10, windowMs: 1000, retryAfterSeconds: 1 } });
    seedOrganisation(github.state, { people: 5, systems: 2 });
    for (let i = 0; i < 10; i++) await octokit.repos.get(where);
    const limited = await octokit.repos.get(where).catch((e: unknown) => e as { status: number; response: any });
    expect(limited).toMatchObject({ status: 403 });
    expect((limited as any).response.headers['retry-after']).toBe('1');
    expect(String((limited as any).message)).toMatch(/secondary rate limit/);
    await expect(octokit.repos.get(where)).rejects.toMatchObject({ status: 403 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expect(octokit.repos.get(where)).resolves.toMatchObject({ status: 200 });
  });

  it('counts a write as 5 points and limits concurrent requests, answering 429 when told to', async () => {
    const { github, octokit } = await start({
      limits: { restPoints: 12, windowMs: 60_000, concurrentRequests: 2, secondaryStatus: 429, retryAfterSeconds: 0 },
      latencyMs: 100,
    });
    seedOrganisation(github.state, { people: 5, systems: 2 });
    const concurrent = await Promise.allSettled([1, 2, 3].map(() => octokit.repos.get(where)));
    expect(concurrent.filter((r) => r.status === 'rejected').map((r) => (r as any).reason.status)).toEqual([429]);
    const write = () => octokit.checks.create({ ...where, name: 'x', head_sha: 'a'.repeat(40) });
    await expect(write()).resolves.toMatchObject({ status: 201 }); // 2 GETs + 5 = 7 points
    await expect(write()).resolves.toMatchObject({ status: 201 }); // 12 points: the limit
    await expect(write()).rejects.toMatchObject({ status: 429 });
    expect(github.limiter.refused.secondary).toBe(2);
  });

  it('enforces the primary hourly limit with x-ratelimit-remaining: 0', async () => {
    const { github, octokit } = await start({ limits: { hourlyRequests: 3 } });
    seedOrganisation(github.state, { people: 5, systems: 2 });
    for (let i = 0; i < 3; i++) await octokit.repos.get(where);
    const refused = await octokit.repos.get(where).catch((e: unknown) => e as any);
    expect(refused.status).toBe(403);
    expect(refused.response.headers['x-ratelimit-remaining']).toBe('0');
    expect(github.limiter.refused).toEqual({ secondary: 0, primary: 1 });
  });

  it('the approval Octokit waits out a secondary limit (retry-after) and every request succeeds', async () => {
    github = await startTestGitHub({ limits: { restPoints: 5, windowMs: 1000, retryAfterSeconds: 1 } });
    seedOrganisation(github.state, { people: 5, systems: 2 });
    const Throttled = createApprovalOctokit({ retry: false });
    const octokit = new Throttled({ auth: { token: TEST_INSTALLATION_TOKEN }, baseUrl: github.apiUrl, log: SILENT });
    const answers = await Promise.all(Array.from({ length: 8 }, () => octokit.rest.repos.get(where)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(github.limiter.refused.secondary).toBeGreaterThan(0);
  });

  it('serves the repository archive as git archive writes it, long paths and links included', async () => {
    const { github, octokit } = await start();
    const long = `access/${'x'.repeat(60)}/${'y'.repeat(60)}/person.yaml`;
    const files = {
      'access/people/a.yaml': 'kind: Person\n',
      [long]: 'long\n',
      'access/link.yaml': { symlink: 'people/a.yaml' },
    };
    const sha = github.state.store.commitFiles(files, { branch: 'main' });
    const answer = await octokit.repos.downloadTarballArchive({ ...where, ref: 'main' });
    const dir = mkdtempSync(join(tmpdir(), 'aac-tar-'));
    try {
      writeFileSync(join(dir, 'a.tgz'), Buffer.from(answer.data as ArrayBuffer));
      execFileSync('tar', ['-xzf', 'a.tgz'], { cwd: dir });
      const top = join(dir, `example-access-${sha.slice(0, 7)}`);
      expect(readFileSync(join(top, long), 'utf8')).toBe('long\n');
      expect(readFileSync(join(top, 'access/link.yaml'), 'utf8')).toBe('kind: Person\n');
      expect(
        execFileSync('sh', ['-c', 'gzip -dc a.tgz | git get-tar-commit-id'], { cwd: dir, encoding: 'utf8' }).trim(),
      ).toBe(sha);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
