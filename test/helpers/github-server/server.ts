import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerGraphql } from './graphql.js';
import { GITHUB_LIMITS } from './limits.js';
import type { GitHubLimits } from './limits.js';
import { RateLimiter } from './rate-limiter.js';
import { compileRoute, notFound } from './route.js';
import type { CompiledRoute, RouteAnswer } from './route.js';
import { getArchive, GIT_ROUTES } from './routes-git.js';
import { PULL_ROUTES } from './routes-pulls.js';
import { RepositoryState } from './state.js';

export interface TestGitHubOptions {
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  /** Limits to enforce instead of GitHub.com's (see GITHUB_LIMITS for each one's source). */
  limits?: Partial<GitHubLimits>;
  /** Milliseconds each answer is held, as a network would (makes concurrency visible). Default 0. */
  latencyMs?: number;
  /** The app's bot login (author of its comments). */
  botLogin?: string;
}

const ROUTES: CompiledRoute[] = [...GIT_ROUTES, ...PULL_ROUTES].map(compileRoute);
export const TEST_INSTALLATION_TOKEN = 'ghs_testinstallationtoken0000000000000';

/**
 * GitHub for one repository on 127.0.0.1 (a free port), enforcing GitHub's documented limits:
 * truncated recursive trees, 1,000-entry directory listings, GraphQL node and blob-text limits,
 * secondary rate limits (403/429 with `retry-after`) and the hourly budget. Serves the REST paths
 * both bare and under `/api/v3` and GraphQL at `/graphql` and `/api/graphql`, so Probot reaches
 * it with `baseUrl` or `GHE_HOST=127.0.0.1:PORT GHE_PROTOCOL=http`. Installation tokens are
 * required (`token ghs_...`); app JWTs only for the token endpoint.
 * @example const github = await startTestGitHub({ limits: { windowMs: 1000, restPoints: 20 } });
 */
export class TestGitHub {
  readonly state: RepositoryState;
  readonly limiter: RateLimiter;
  /** `http://127.0.0.1:PORT`. */
  url = '';
  #server: Server;
  #latency: number;

  constructor(options: TestGitHubOptions = {}) {
    const limits = { ...GITHUB_LIMITS, ...options.limits };
    this.state = new RepositoryState(
      options.owner ?? 'example',
      options.repo ?? 'access',
      options.defaultBranch ?? 'main',
      limits,
      options.botLogin ?? 'aac-approvals[bot]',
    );
    this.limiter = new RateLimiter(limits);
    this.#latency = options.latencyMs ?? 0;
    this.#server = createServer((request, response) => {
      void this.#handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: `test GitHub failed: ${(error as Error).message}` }));
      });
    });
  }

  /** The REST base URL to give Octokit/Probot: `http://127.0.0.1:PORT/api/v3`. */
  get apiUrl(): string {
    return `${this.url}/api/v3`;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve, reject) => this.#server.close((e) => (e ? reject(e) : resolve())));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const method = request.method ?? 'GET';
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const body = await readBody(request);
    const send = (answer: RouteAnswer, route: string, limited?: 'secondary' | 'primary'): void => {
      this.state.calls.push({ method, route, path, status: answer.status, ...(limited ? { limited } : {}) });
      const payload = answer.raw ?? Buffer.from(answer.body === undefined ? '' : JSON.stringify(answer.body));
      response.writeHead(answer.status, {
        ...(answer.raw ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        ...answer.headers,
      });
      response.end(payload);
    };

    const archive = /^\/_codeload\/[^/]+\/[^/]+\/legacy\.tar\.gz\/([0-9a-f]{40})$/.exec(path);
    if (method === 'GET' && archive) return send(getArchive(this.state, archive[1]!), 'GET codeload');
    const auth = String(request.headers['authorization'] ?? '');
    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      if (!/^bearer [\w-]+\.[\w-]+\.[\w-]+$/i.test(auth)) return send(badCredentials(), 'POST access_tokens');
      const expires = new Date(Date.now() + 3_600_000).toISOString();
      return send(
        {
          status: 201,
          body: { token: TEST_INSTALLATION_TOKEN, expires_at: expires, permissions: {}, repository_selection: 'all' },
        },
        'POST /app/installations/{id}/access_tokens',
      );
    }
    if (auth !== `token ${TEST_INSTALLATION_TOKEN}`) return send(badCredentials(), `${method} ${path}`);

    const graphql = method === 'POST' && (path === '/graphql' || url.pathname === '/api/graphql');
    const match = graphql ? undefined : findRoute(method, path);
    const route = graphql ? 'POST /graphql' : match ? `${method} ${match.route.pattern}` : `${method} ${path}`;
    const admission = this.limiter.admit({ api: graphql ? 'graphql' : 'rest', write: !graphql && method !== 'GET' });
    if (!admission.ok) return send(admission, route, admission.limit);
    try {
      if (this.#latency > 0) await new Promise((resolve) => setTimeout(resolve, this.#latency));
      let answer: RouteAnswer;
      if (graphql) {
        const result = answerGraphql(
          {
            store: this.state.store,
            owner: this.state.owner,
            repo: this.state.repo,
            teams: this.state.teams,
            limits: this.state.limits,
          },
          JSON.parse(body || '{}') as { query?: unknown; variables?: unknown },
        );
        answer = { status: result.status, body: result.body };
      } else if (match) {
        answer = match.route.handle(
          { params: match.params, query: url.searchParams, body: body ? JSON.parse(body) : {}, apiUrl: this.apiUrl },
          this.state,
        );
      } else answer = notFound();
      send({ ...answer, headers: { ...admission.headers, ...answer.headers } }, route);
    } finally {
      this.limiter.done();
    }
  }
}

/** Starts a test GitHub on 127.0.0.1. */
export function startTestGitHub(options: TestGitHubOptions = {}): Promise<TestGitHub> {
  return new TestGitHub(options).listen();
}

function findRoute(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.regex.exec(path);
    if (!m) continue;
    return { route, params: Object.fromEntries(route.names.map((n, i) => [n, m[i + 1]!])) };
  }
  return undefined;
}

function badCredentials(): RouteAnswer {
  return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
