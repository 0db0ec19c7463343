import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRegistry } from '../helpers/local-registry.js';
import type { LocalRegistry } from '../helpers/local-registry.js';
import { REPO_ROOT } from '../helpers/sample-tree.js';

// The package as an organisation gets it: packed by `npm pack` (which builds it), served by a
// registry on 127.0.0.1, installed by real npm into a repository made by the packaged `aac init`.
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const NOW = '2026-11-22T12:00:00Z';
let work: string;
let tarball: string;
let registry: LocalRegistry;
let npmEnv: NodeJS.ProcessEnv;

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}
/** Runs a program without blocking: the registry answering npm lives in this process. */
const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = npmEnv): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
const ok = (result: Ran): string => {
  if (result.status !== 0) throw new Error(`exit ${result.status}: ${result.stderr}\n${result.stdout}`);
  return result.stdout;
};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'aac-package-'));
  // A copy of the sources as git sees them (tracked and new, not ignored), so packing builds
  // dist/ there and never rewrites this checkout's dist/ under other tests' feet.
  const source = join(work, 'source');
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  for (const path of listed.split('\0').filter((p) => p && existsSync(join(REPO_ROOT, p)))) {
    mkdirSync(dirname(join(source, path)), { recursive: true });
    copyFileSync(join(REPO_ROOT, path), join(source, path));
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(source, 'node_modules'));
  mkdirSync(join(work, 'home'));
  npmEnv = {
    PATH: process.env['PATH'],
    HOME: join(work, 'home'),
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    AAC_NOW: NOW,
  };
  const packed = JSON.parse(ok(await run('npm', ['pack', '--json', '--pack-destination', work], source))) as Array<{
    filename: string;
  }>;
  tarball = join(work, packed[0]!.filename);
  registry = await startLocalRegistry({ tarball, lockfile: join(REPO_ROOT, 'package-lock.json') });
  npmEnv = { ...npmEnv, npm_config_registry: registry.url };
}, 180_000);

afterAll(async () => {
  await registry?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the built CLI, schemas, templates and the tested dependency tree; nothing runs on install', () => {
    const entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const path of [
      'package/bin/aac.js',
      'package/dist/entrypoints/cli/main.js',
      'package/dist/index.js',
      'package/dist/index.d.ts',
      'package/schemas/person.schema.json',
      'package/templates/pull-request-comment.md.hbs',
      'package/templates/init/github/ISSUE_TEMPLATE/access-request.yml',
      'package/app.yml',
      'package/action.yml',
      'package/npm-shrinkwrap.json',
    ])
      expect(entries).toContain(path);
    expect(entries.filter((p) => /^package\/(src|test|bench|access|\.github)\//.test(p) || p.endsWith('.map'))).toEqual(
      [],
    );
    const manifest = JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' }));
    expect(manifest.private).toBeUndefined();
    for (const hook of ['preinstall', 'install', 'postinstall']) expect(manifest.scripts[hook]).toBeUndefined();
    const shrinkwrap = JSON.parse(
      execFileSync('tar', ['-xOzf', tarball, 'package/npm-shrinkwrap.json'], { encoding: 'utf8' }),
    );
    expect(shrinkwrap.packages['node_modules/probot'].version).toBe(
      JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')).packages['node_modules/probot'].version,
    );
  });

  it('installs from a registry into a repository made by its own `aac init`; validate, plan and apply work there', async () => {
    const tool = join(work, 'tool');
    ok(await run('npm', ['install', '--prefix', tool, '--ignore-scripts', `aac@${VERSION}`], work));
    const aac = join(tool, 'node_modules/.bin/aac');
    expect(ok(await run(aac, ['--version'], work)).trim()).toBe(`aac ${VERSION}`);

    const org = join(work, 'org');
    ok(await run(aac, ['init', org, '--org', 'acme'], work));
    ok(await run('npm', ['install', '--ignore-scripts'], org));
    const installed = join(org, 'node_modules');
    expect(JSON.parse(readFileSync(join(installed, 'aac/package.json'), 'utf8')).version).toBe(VERSION);
    // The shrinkwrap's dev dependencies are not installed for users.
    for (const dev of ['vitest', 'typescript', 'eslint', 'nock']) expect(existsSync(join(installed, dev))).toBe(false);
    expect(existsSync(join(org, 'package-lock.json'))).toBe(true);

    const git = async (...args: string[]): Promise<string> =>
      ok(await run('git', ['-c', 'user.name=Admin', '-c', 'user.email=admin@example.org', ...args], org));
    await git('add', '-A');
    await git('commit', '-q', '-m', 'aac init');
    const npx = (...args: string[]): Promise<Ran> => run(join(installed, '.bin/aac'), args, org);
    expect((await npx('validate')).status).toBe(0);
    const directory = ['--directory', 'file:.aac/directory.json'];
    expect((await npx('plan', ...directory, '--exit-code')).status).toBe(2);
    const applied = await npx('apply', ...directory);
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Applied 4 actions: 4 done');
    expect(await npx('plan', ...directory, '--exit-code')).toMatchObject({ status: 0 });
    expect((await git('branch', '--list', 'access-audit')).trim()).toBe('access-audit');
    // Every request went to the local registry.
    expect(registry.requests.length).toBeGreaterThan(0);
  }, 120_000);

  it('the Action installs the pinned release without the caller’s secrets, then runs the command', async () => {
    const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string; required?: boolean }>;
      runs: { using: string; steps: Step[] };
    };
    expect(action.runs.using).toBe('composite');
    const org = join(work, 'org-action');
    ok(await run(join(work, 'tool/node_modules/.bin/aac'), ['init', org, '--org', 'acme'], work));
    // An npm on PATH that records the environment it was started with, then runs the real one.
    const bin = join(work, 'spy-bin');
    mkdirSync(bin, { recursive: true });
    const seen = join(work, 'npm-env.txt');
    const realNpm = ok(await run('sh', ['-c', 'command -v npm'], work)).trim();
    writeFileSync(join(bin, 'npm'), `#!/bin/sh\nenv > '${seen}'\nexec '${realNpm}' "$@"\n`);
    chmodSync(join(bin, 'npm'), 0o755);
    const secret = 'ldap-password-that-must-not-reach-npm';
    const caller = {
      ...npmEnv,
      PATH: `${bin}:${npmEnv['PATH']}`,
      AAC_LDAP_BIND_PASSWORD: secret,
      GITHUB_TOKEN: 'ghs_callers_token',
    };

    const outcome = await runComposite(action, { command: 'validate --format github', version: VERSION }, org, caller);
    expect(outcome.results.map((r) => r.status)).toEqual([0, 0]);
    expect(outcome.results[1]!.stdout).toBe('');
    expect(outcome.skipped).toEqual(['actions/setup-node@v4']);
    const npmSaw = readFileSync(seen, 'utf8');
    expect(npmSaw).not.toContain(secret);
    expect(npmSaw).not.toContain('ghs_callers_token');
    expect(npmSaw).toContain(`npm_config_registry=${registry.url}`);
    expect(outcome.outputs).toContain(`version=${VERSION}`);

    // A second aac step in the same job reuses the install.
    rmSync(seen);
    const again = await runComposite(
      action,
      { command: 'codeowners --check', version: VERSION },
      org,
      caller,
      outcome.temp,
    );
    expect(again.results.map((r) => r.status)).toEqual([0, 0]);
    expect(existsSync(seen)).toBe(false);

    // The version must be an exact release; the command's words are passed as they are, never to a shell.
    const range = await runComposite(action, { command: 'validate', version: '^0' }, org, caller);
    expect(range.results[0]!.status).toBe(2);
    const injected = await runComposite(
      action,
      { command: 'validate $(touch pwned) *', version: VERSION },
      org,
      caller,
    );
    expect(injected.results[1]!.status).toBe(2);
    expect(existsSync(join(org, 'pwned'))).toBe(false);
    expect(injected.results[1]!.stderr).toContain('validate takes one directory');
  }, 120_000);
});

interface Step {
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}

/**
 * Runs a composite action's `run` steps as the Actions runner does: `${{ inputs.* }}` and
 * `${{ github.action_path }}` substituted, GITHUB_PATH and GITHUB_OUTPUT files honoured between
 * steps, each step in bash with the caller's environment plus its own. `uses` steps are
 * reported as skipped (setup-node: Node is already here).
 */
async function runComposite(
  action: { inputs: Record<string, { default?: string }>; runs: { steps: Step[] } },
  inputs: Record<string, string>,
  workspace: string,
  caller: NodeJS.ProcessEnv,
  temp: string = mkdtempSync(join(work, 'runner-temp-')),
): Promise<{ results: Ran[]; skipped: string[]; outputs: string; temp: string }> {
  const values = Object.fromEntries(
    Object.entries(action.inputs).map(([name, input]) => [name, inputs[name] ?? input.default ?? '']),
  );
  const expand = (text: string): string =>
    text.replace(/\$\{\{\s*([a-z_.-]+)\s*\}\}/g, (_, expression: string) => {
      if (expression === 'github.action_path') return REPO_ROOT;
      if (expression.startsWith('inputs.')) return values[expression.slice('inputs.'.length)] ?? '';
      throw new Error(`unexpected expression ${expression}`);
    });
  const githubPath = join(temp, 'github-path');
  const githubOutput = join(temp, 'github-output');
  writeFileSync(githubOutput, '');
  if (!existsSync(githubPath)) writeFileSync(githubPath, '');
  const results: Ran[] = [];
  const skipped: string[] = [];
  for (const step of action.runs.steps) {
    if (step.uses) {
      skipped.push(step.uses);
      continue;
    }
    expect(step.shell).toBe('bash');
    const added = readFileSync(githubPath, 'utf8').split('\n').filter(Boolean).reverse();
    const env = {
      ...caller,
      PATH: [...added, caller['PATH']].join(':'),
      RUNNER_TEMP: temp,
      GITHUB_PATH: githubPath,
      GITHUB_OUTPUT: githubOutput,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v)])),
    };
    const cwd = join(workspace, expand(step['working-directory'] ?? '.'));
    const result = await run('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', step.run!], cwd, env);
    results.push(result);
    if (result.status !== 0) break;
  }
  return { results, skipped, outputs: readFileSync(githubOutput, 'utf8'), temp };
}
