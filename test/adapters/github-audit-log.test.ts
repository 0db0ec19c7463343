import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubAuditLog } from '../../src/adapters/github/github-audit-log.js';

import { AuditLogError, AuditSecretError } from '../../src/errors.js';
import { approvals, auditEvent, verify } from '../helpers/audit-events.js';
import { FakeGitDataApi } from '../helpers/fake-git-data-api.js';

let api: FakeGitDataApi;
// Octokit logs every 4xx; the 404s and 422s here are expected.
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const octokit = new Octokit({ auth: 'test-installation-token', log: quiet });
const open = () => createGitHubAuditLog({ octokit, owner: 'example', repo: 'access' });

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  api = new FakeGitDataApi();
  api.install();
});
afterEach(() => nock.cleanAll());

describe('createGitHubAuditLog', () => {
  it('creates the branch, then appends hash-chained lines through the git data API', async () => {
    const log = open();
    expect(await log.read()).toEqual([]);
    const first = await log.append(approvals('mjohnson', 2));
    const expiry = auditEvent('grant.expired', {
      time: '2026-12-02T00:00:00Z',
      actor: 'aac-reconciler',
      subject: 'jdoe.acme',
      details: { system: 'crm', role: 'partner', expires: '2026-12-01' },
    });
    const second = await log.append([expiry]);
    expect(second[0]).toMatchObject({ seq: 3, prev: first[1]!.hash });
    const records = await log.read();
    expect(records).toEqual([...first, ...second]);
    expect(verify(records)).toEqual([]);
    expect(api.fileAt('access-audit', 'audit/2026-11.jsonl')?.trim().split('\n')).toHaveLength(2);
    expect(api.fileAt('access-audit', 'audit/2026-12.jsonl')?.trim().split('\n')).toHaveLength(1);
    expect(api.calls).toContain('create-ref');
    expect(api.calls).toContain('update-ref');
  });

  it('reads only the newest month to continue the chain', async () => {
    const log = open();
    await log.append(approvals('mjohnson', 1));
    await log.append([
      auditEvent('account.locked', {
        time: '2026-12-05T00:00:00Z',
        actor: 'aac-reconciler',
        subject: 'ekim',
        details: { uid: 'ekim', reason: 'disabled' },
      }),
    ]);
    api.calls.length = 0;
    await log.append([
      auditEvent('account.locked', {
        time: '2026-12-06T00:00:00Z',
        actor: 'aac-reconciler',
        subject: 'ekim',
        details: { uid: 'ekim', reason: 'disabled' },
      }),
    ]);
    expect(api.calls.filter((c) => c === 'get-blob')).toHaveLength(1);
  });

  it('retries on a 422 when another writer moved the ref meanwhile, and loses nothing', async () => {
    const log = open();
    await log.append(approvals('mjohnson', 1));
    const other = open();
    let moved = false;
    api.beforeRefUpdate = () => {
      if (moved) return;
      moved = true;
      api.beforeRefUpdate = undefined;
      // The concurrent writer's whole append happens between our commit and our ref update.
      return other.append(approvals('kpatel', 1, Date.parse('2026-11-21T00:00:00Z')));
    };
    const pending = log.append(approvals('dwilliams', 1, Date.parse('2026-11-21T01:00:00Z')));
    const added = await pending;
    const records = await log.read();
    expect(records.map((r) => r.actor).sort()).toEqual(['dwilliams', 'kpatel', 'mjohnson']);
    expect(added[0]!.seq).toBe(records.find((r) => r.actor === 'dwilliams')!.seq);
    expect(verify(records)).toEqual([]);
    expect(api.calls.filter((c) => c === 'update-ref').length).toBeGreaterThanOrEqual(3);
  });

  it('gives up with AuditLogError when the ref never stops moving', async () => {
    const log = createGitHubAuditLog({ octokit, owner: 'example', repo: 'access', maxAttempts: 3 });
    await log.append(approvals('mjohnson', 1));
    const tip = api.refs.get('access-audit')!;
    api.beforeRefUpdate = () => {
      // Someone always appends first: point the ref at a new commit that our parent does not reach.
      const sha = `${tip.slice(0, 30)}${String(api.commits.size).padStart(10, '0')}`;
      api.commits.set(sha, { ...api.commits.get(tip)!, parents: [tip] });
      api.refs.set('access-audit', sha);
    };
    await expect(log.append(approvals('kpatel', 1))).rejects.toBeInstanceOf(AuditLogError);
  });

  it('refuses secrets before any request', async () => {
    api.calls.length = 0;
    const leaky = auditEvent('apply.failed', {
      time: '2026-11-22T00:00:00Z',
      actor: 'aac-reconciler',
      details: { error: 'bind failed', bindToken: 'abc' } as never,
    });
    await expect(open().append([leaky])).rejects.toBeInstanceOf(AuditSecretError);
    expect(api.calls.filter((c) => c.startsWith('create'))).toEqual([]);
  });
});
