import { sign } from '@octokit/webhooks-methods';
import nock from 'nock';
import pino from 'pino';
import { Probot } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovalOctokit } from '../../src/adapters/github/approval-octokit.js';
import { createApprovalApp } from '../../src/entrypoints/app/approval-app.js';
import { main } from '../../src/entrypoints/app/main.js';
import { startAppServer } from '../../src/entrypoints/app/start-app-server.js';
import { ConfigError } from '../../src/errors.js';
import type { RunningServer } from '../../src/entrypoints/app/start-app-server.js';
import { examplePullRequestRepo, fakeGitHub, testPrivateKey } from '../helpers/github-api.js';
import { MemoryAuditLog } from '../helpers/memory-audit-log.js';
import { grant } from '../helpers/pull-request.js';
import { NOW, sampleFiles } from '../helpers/sample-tree.js';
import { examplePayload } from '../helpers/webhooks.js';

const SECRET = 'e2e-webhook-secret';
const payload = examplePayload('pull_request', 'opened');
const body = JSON.stringify(payload);
let server: RunningServer;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    secret: SECRET,
    log: pino({ level: 'silent' }),
    Octokit: createApprovalOctokit({ retry: false, throttle: false }),
  });
  const app = createApprovalApp({ auditLog: () => new MemoryAuditLog(), now: () => NOW });
  server = await startAppServer({ probot, app, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server.close();
  nock.cleanAll();
});

function deliver(signature: string): Promise<Response> {
  return fetch(`${server.url}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-hub-signature-256': signature,
    },
    body,
  });
}

describe('the app server on 127.0.0.1', () => {
  it('accepts a webhook signed with the secret and creates the check run', async () => {
    nock.cleanAll();
    const jsmith = 'access/people/jsmith.yaml';
    const api = fakeGitHub(
      examplePullRequestRepo(payload, { [jsmith]: `${sampleFiles()[jsmith]}${grant('project-tools', 'member')}` }),
    );
    const response = await deliver(await sign(SECRET, body));
    expect(response.status).toBe(200);
    expect(api.checkRuns).toHaveLength(1);
    expect(api.checkRuns[0]).toMatchObject({
      name: 'access-approvals',
      head_sha: payload.pull_request.head.sha,
      conclusion: 'action_required',
    });
  });

  it('refuses a wrong signature with 400 and calls no API', async () => {
    nock.cleanAll();
    const api = fakeGitHub({ owner: 'Codertocat', repo: 'Hello-World', pull: 2, trees: {}, reviews: [], teams: {} });
    const response = await deliver(await sign('not-the-secret', body));
    expect(response.status).toBe(400);
    expect(api.calls).toEqual([]);
  });

  it('main() starts the server from Probot environment variables, and refuses to start without them', async () => {
    await expect(main({ APP_ID: '1', WEBHOOK_SECRET: SECRET })).rejects.toBeInstanceOf(ConfigError);
    const running = await main({
      APP_ID: '1',
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: SECRET,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'fatal',
    });
    try {
      nock.cleanAll();
      const api = fakeGitHub(examplePullRequestRepo(payload, {}));
      const response = await fetch(`${running.url}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': 'main-1',
          'x-hub-signature-256': await sign('wrong', body),
        },
        body,
      });
      expect(response.status).toBe(400);
      expect(api.calls).toEqual([]);
    } finally {
      await running.close();
    }
  });

  it('answers the health check', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
