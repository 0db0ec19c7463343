import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import pino from 'pino';
import { Probot } from 'probot';
import { createApprovalOctokit } from '../../src/adapters/github/approval-octokit.js';
import { CODEOWNERS_PATHS } from '../../src/core/policy/governed-paths.js';
import type { Review } from '../../src/core/policy/compute-approvals.js';
import { createApprovalApp } from '../../src/entrypoints/app/approval-app.js';
import type { ApprovalAppOptions } from '../../src/entrypoints/app/approval-app.js';
import { GitStore } from './github-server/git-store.js';
import { writeTarball } from './github-server/tarball.js';
import { MemoryAuditLog } from './memory-audit-log.js';
import { applyChanges, blobId, sampleRepository } from './pull-request.js';
import { NOW, sampleFiles } from './sample-tree.js';

export const API = 'https://api.github.com';

let key: string | undefined;
/** A throwaway RSA key, so Probot can sign its app JWT (the token request is intercepted). */
export function testPrivateKey(): string {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
  return key;
}

/** A Probot with the approval app loaded, retries and throttling off, silent, and an in-memory audit log. */
export async function createTestProbot(
  options: Partial<ApprovalAppOptions> = {},
): Promise<{ probot: Probot; audit: MemoryAuditLog }> {
  const audit = new MemoryAuditLog();
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    secret: 'test-secret',
    log: pino({ level: 'silent' }),
    Octokit: createApprovalOctokit({ retry: false, throttle: false }),
  });
  await probot.load(createApprovalApp({ auditLog: () => audit, now: () => NOW, ...options }));
  return { probot, audit };
}

export interface FakeRepo {
  owner: string;
  repo: string;
  pull: number;
  /** Files by path (e.g. `access/people/jsmith.yaml`), per commit SHA. */
  /** Per commit SHA: the access files and the other repository files, by path. */
  trees: Record<string, { files: Record<string, string>; repository: Record<string, string> }>;
  /** The reviews, or a function answering each read (to change them between reads). */
  reviews: Review[] | (() => Review[]);
  teams: Record<string, string[]>;
  /** Milliseconds to hold the answer to the n-th (0-based) check-run creation; none by default. */
  checkRunDelay?: (n: number) => number;
  /** Comments already on the pull request. */
  comments?: Array<{ id: number; body: string; user: { login: string; type: string } }>;
  /**
   * The pull request as \`GET /pulls/{n}\` answers it now (the app judges the pull request as it
   * is, not as an older event saw it); a function to change it between reads.
   */
  pullRequest?: Record<string, unknown> | (() => Record<string, unknown>);
}

/** What the fake GitHub saw: every request (method and path), and the bodies of the writes. */
export interface ApiRecord {
  calls: string[];
  checkRuns: Array<Record<string, any>>;
  checkRunUpdates: Array<Record<string, any>>;
  comments: Array<{ method: string; body: string }>;
  reviewRequests: Array<Record<string, any>>;
  /** The Authorization header of each request (to see which token was used). */
  authorizations: string[];
}

/**
 * Intercepts the GitHub API for one repository at the HTTP edge (nock), answering like GitHub:
 * the installation token, GraphQL (tree reads and team members), reviews, check runs, comments
 * and review requests. Unknown requests fail the test (nock has no interceptor for them).
 */
export function fakeGitHub(fake: FakeRepo): ApiRecord {
  const record: ApiRecord = {
    calls: [],
    checkRuns: [],
    checkRunUpdates: [],
    comments: [],
    reviewRequests: [],
    authorizations: [],
  };
  const repoPath = `/repos/${fake.owner}/${fake.repo}`;
  const seen = (method: string, path: string): void => void record.calls.push(`${method} ${path.split('?')[0]}`);
  const scope = nock(API);
  let created = 0;
  scope.on(
    'request',
    (request: { headers: Record<string, string | string[] | undefined> }) =>
      void record.authorizations.push(String(request.headers['authorization'] ?? '')),
  );
  scope
    .persist()
    .post(/\/app\/installations\/\d+\/access_tokens/)
    .reply(
      201,
      (uri) => (
        seen('POST', uri),
        { token: 'ghs_test', expires_at: '2099-01-01T00:00:00Z', permissions: {}, repository_selection: 'all' }
      ),
    )
    .post('/graphql')
    .reply(
      200,
      (uri, body) => (
        seen('POST', uri),
        answerGraphql(fake, body as { query: string; variables: Record<string, string> })
      ),
    )
    .get(`${repoPath}/pulls/${fake.pull}`)
    .reply((uri) => {
      seen('GET', uri);
      const pull = typeof fake.pullRequest === 'function' ? fake.pullRequest() : fake.pullRequest;
      return pull ? [200, { state: 'open', ...pull }] : [404, { message: 'Not Found' }];
    })
    .get(new RegExp(`^${repoPath}/tarball/[0-9a-f]+$`))
    .reply((uri) => {
      seen('GET', uri);
      // The archive of the commit (GitHub redirects to codeload; the fake answers at once).
      const tree = fake.trees[uri.split('/').pop()!];
      if (!tree) return [404, { message: 'Not Found' }];
      const store = new GitStore();
      const commit = store.commitFiles({ ...tree.repository, ...tree.files });
      return [200, writeTarball(store, commit, `${fake.owner}-${fake.repo}-${commit.slice(0, 7)}`)];
    })
    .get(new RegExp(`^${repoPath}/git/trees/[0-9a-f]+`))
    .query(true)
    .reply((uri) => (seen('GET', uri), answerTree(fake, uri)))
    .get(`${repoPath}/pulls/${fake.pull}/reviews`)
    .query(true)
    .reply(200, (uri) => (seen('GET', uri), typeof fake.reviews === 'function' ? fake.reviews() : fake.reviews))
    .post(`${repoPath}/check-runs`)
    .reply(201, async (uri, body) => {
      const delay = fake.checkRunDelay?.(created++) ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      seen('POST', uri);
      record.checkRuns.push(body as Record<string, any>);
      return { id: 77 };
    })
    .patch(`${repoPath}/check-runs/77`)
    .reply(
      200,
      (uri, body) => (seen('PATCH', uri), record.checkRunUpdates.push(body as Record<string, any>), { id: 77 }),
    )
    .get(`${repoPath}/issues/${fake.pull}/comments`)
    .query(true)
    .reply(200, (uri) => (seen('GET', uri), fake.comments ?? []))
    .post(`${repoPath}/issues/${fake.pull}/comments`)
    .reply(
      201,
      (uri, body) => (
        seen('POST', uri),
        record.comments.push({ method: 'POST', body: (body as { body: string }).body }),
        { id: 5 }
      ),
    )
    .patch(/\/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+/)
    .reply(
      200,
      (uri, body) => (
        seen('PATCH', uri),
        record.comments.push({ method: 'PATCH', body: (body as { body: string }).body }),
        { id: 5 }
      ),
    )
    .post(`${repoPath}/pulls/${fake.pull}/requested_reviewers`)
    .reply(201, (uri, body) => (seen('POST', uri), record.reviewRequests.push(body as Record<string, any>), {}));
  return record;
}

function answerGraphql(fake: FakeRepo, body: { query: string; variables: Record<string, string> }): object {
  if (body.query.includes('aacBlobs')) {
    // Blob texts by object id, as the app asks for the files it does not know yet.
    const texts = new Map<string, string>();
    for (const tree of Object.values(fake.trees))
      for (const text of [...Object.values(tree.files), ...Object.values(tree.repository)])
        texts.set(blobId(text), text);
    const repository: Record<string, unknown> = {};
    for (const [name, sha] of Object.entries(body.variables)) {
      if (!/^o\d+$/.test(name)) continue;
      const text = texts.get(sha);
      repository[`b${name.slice(1)}`] = text === undefined ? null : { text, isBinary: false };
    }
    return { data: { repository } };
  }
  if (body.query.includes('aacTeams') || body.query.includes('aacTeamPage')) {
    const data: Record<string, unknown> = {};
    for (const [name, org] of Object.entries(body.variables)) {
      if (!name.startsWith('o')) continue;
      const i = name.slice(1);
      const members = fake.teams[`${org}/${body.variables[`s${i}`]}`];
      data[i === '' ? 't' : `t${i}`] = members
        ? {
            team: {
              members: {
                nodes: members.map((login) => ({ login })),
                pageInfo: { hasNextPage: false, endCursor: null },
              },
            },
          }
        : { team: null };
    }
    return { data };
  }
  const [sha = '', accessDir = ''] = body.variables['access']!.split(':');
  const tree = fake.trees[sha];
  if (!tree) return { data: { repository: { access: null, co0: null, co1: null, co2: null } } };
  const text = (i: number): object | null => {
    const t = tree.repository[CODEOWNERS_PATHS[i]!];
    return t === undefined ? null : blob(t);
  };
  return {
    data: {
      repository: { access: { entries: entriesOf(tree.files, accessDir) }, co0: text(0), co1: text(1), co2: text(2) },
    },
  };
}

/** GitHub's "get a tree" answer (recursive) for a commit of the fake repository: every file and folder. */
function answerTree(fake: FakeRepo, uri: string): [number, object] {
  const sha = /\/git\/trees\/([0-9a-f]+)/.exec(uri)![1]!;
  const tree = fake.trees[sha];
  if (!tree) return [404, { message: 'Not Found' }];
  const files = { ...tree.repository, ...tree.files };
  const folders = new Set<string>();
  for (const path of Object.keys(files)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  const entries = [
    ...[...folders].map((path) => ({ path, mode: '040000', type: 'tree', sha: blobId(`tree ${path}`) })),
    ...Object.entries(files).map(([path, text]) => ({
      path,
      mode: '100644',
      type: 'blob',
      sha: blobId(text),
      size: Buffer.byteLength(text),
    })),
  ].sort((a, b) => (a.path < b.path ? -1 : 1));
  return [200, { sha, truncated: false, tree: entries }];
}

/** GitHub's nested tree entries for the files under `dir`, as deep as the query asks (three levels). */
function entriesOf(files: Record<string, string>, dir: string, depth = 1): object[] {
  const children = new Map<string, string | null>();
  for (const path of Object.keys(files)) {
    if (!path.startsWith(`${dir}/`)) continue;
    const [first = '', ...rest] = path.slice(dir.length + 1).split('/');
    children.set(first, rest.length === 0 ? path : null);
  }
  return [...children].map(([name, file]) =>
    file === null
      ? {
          path: `${dir}/${name}`,
          mode: 16384,
          type: 'tree',
          object: depth < 3 ? { entries: entriesOf(files, `${dir}/${name}`, depth + 1) } : {},
        }
      : { path: file, mode: 33188, type: 'blob', object: blob(files[file]!) },
  );
}

function blob(text: string): object {
  return { text, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(text) };
}

/**
 * The fake repository of the webhooks-examples pull request (Codertocat/Hello-World #2): base is
 * the sample at the payload's base SHA, head is the sample with `head` applied (`null` removes).
 */
export function examplePullRequestRepo(
  payload: { pull_request: { base: { sha: string }; head: { sha: string } } },
  head: Record<string, string | null>,
  extra: Partial<Pick<FakeRepo, 'reviews' | 'teams' | 'comments' | 'pullRequest'>> = {},
): FakeRepo {
  const base = sampleFiles();
  const headFiles = applyChanges(base, head);
  return {
    owner: 'Codertocat',
    repo: 'Hello-World',
    pull: 2,
    trees: {
      [payload.pull_request.base.sha]: { files: base, repository: sampleRepository() },
      [payload.pull_request.head.sha]: { files: headFiles, repository: sampleRepository() },
    },
    reviews: extra.reviews ?? [],
    teams: extra.teams ?? {},
    ...(extra.comments ? { comments: extra.comments } : {}),
    // What GitHub answers now: the payload's pull request (tests that change it pass their own).
    pullRequest: extra.pullRequest ?? { ...payload.pull_request, state: 'open' },
  };
}
