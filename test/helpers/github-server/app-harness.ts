import { Writable } from 'node:stream';
import { sign } from '@octokit/webhooks-methods';
import pino from 'pino';
import { Probot } from 'probot';
import { createApprovalOctokit } from '../../../src/adapters/github/approval-octokit.js';
import type { ApprovalOctokitOptions } from '../../../src/adapters/github/approval-octokit.js';
import { createApprovalApp } from '../../../src/entrypoints/app/approval-app.js';
import type { ApprovalAppOptions } from '../../../src/entrypoints/app/approval-app.js';
import { createAuditLogFor } from '../../../src/entrypoints/app/create-audit-log-for.js';
import { startAppServer } from '../../../src/entrypoints/app/start-app-server.js';
import { NOW } from '../sample-tree.js';
import { testPrivateKey } from '../github-api.js';
import type { TestGitHub } from './server.js';

export const WEBHOOK_SECRET = 'scale-webhook-secret';

/** One line of the app's log (pino JSON). */
export type LogLine = Record<string, unknown> & { level: number; msg?: string };

export interface AppHarness {
  /** `http://127.0.0.1:PORT` of the app server. */
  url: string;
  /** Everything the app logged, debug level and up. */
  logs: LogLine[];
  /**
   * Delivers a webhook as GitHub does (signed JSON over HTTP); resolves with the HTTP status:
   * 200 when the work is done, 202 when it took longer than the middleware waits (9 s) and goes
   * on (GitHub itself gives up on a delivery after 10 s). `evaluated(id)` waits for the end.
   */
  deliver: (name: string, payload: unknown, id?: string) => Promise<number>;
  /** Resolves with the app's "API calls" log line of delivery `id` once its evaluation has ended (success or not). */
  evaluated: (id: string, timeoutMs?: number) => Promise<LogLine>;
  close: () => Promise<void>;
}

let deliveries = 0;
/** The line the app logs at the end of every evaluation (src/entrypoints/app/approval-app.ts). */
const EVALUATED = 'GitHub API calls of this evaluation';

/**
 * The approval app's server on 127.0.0.1, talking to the test GitHub `github` (its REST and
 * GraphQL URLs), its audit log on the test repository's audit branch, logging at debug level
 * into `logs`. The Octokit is the app's own (`createApprovalOctokit`), retries off by default.
 */
export async function startApp(
  github: TestGitHub,
  options: { octokit?: ApprovalOctokitOptions; app?: Partial<ApprovalAppOptions> } = {},
): Promise<AppHarness> {
  const logs: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    secret: WEBHOOK_SECRET,
    baseUrl: github.apiUrl,
    log: pino({ level: 'debug' }, stream),
    Octokit: createApprovalOctokit({ retry: false, ...options.octokit }),
  });
  const app = createApprovalApp({ auditLog: createAuditLogFor({}), now: () => NOW, ...options.app });
  const server = await startAppServer({ probot, app, host: '127.0.0.1', port: 0 });
  return {
    url: server.url,
    logs,
    deliver: async (name, payload, id = `delivery-${++deliveries}`) => {
      const body = JSON.stringify(payload);
      const response = await fetch(`${server.url}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': name,
          'x-github-delivery': id,
          'x-hub-signature-256': await sign(WEBHOOK_SECRET, body),
        },
        body,
      });
      await response.text();
      return response.status;
    },
    evaluated: async (id, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = logs.find((l) => l['id'] === id && l.msg === EVALUATED);
        if (line) return line;
        if (Date.now() > deadline) throw new Error(`delivery ${id} was not evaluated within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => server.close(),
  };
}
