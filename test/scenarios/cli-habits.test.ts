import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg } from '../../bench/generate-org.mjs';
import { runCli } from '../helpers/run-cli.js';
import { REPO_ROOT, SAMPLE_DIR } from '../helpers/sample-tree.js';

const NOW = { AAC_NOW: '2026-11-22T12:00:00Z' };
const DIRECTORY = ['--directory', 'file:.aac/directory.json', '--no-history'];
const ANSI = /\u001b\[\d+m/;
let repo: string;

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', ...args], { cwd, encoding: 'utf8' });

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'aac-habits-'));
  cpSync(SAMPLE_DIR, join(repo, 'access'), { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'sample');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('plan --exit-code follows Terraform: 0 no changes, 2 changes, 1 any error', () => {
  const plan = (args: string[], cwd = repo, env: NodeJS.ProcessEnv = NOW) => runCli(['plan', ...args], { cwd, env });

  it('2 with changes pending, 0 once applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aac-exit-'));
    cpSync(SAMPLE_DIR, join(dir, 'access'), { recursive: true });
    expect((await plan([...DIRECTORY, '--exit-code'], dir)).code).toBe(2);
    expect(
      (await runCli(['apply', ...DIRECTORY, '--audit-log', 'file:audit.jsonl'], { cwd: dir, env: NOW })).code,
    ).toBe(0);
    expect((await plan([...DIRECTORY, '--exit-code'], dir)).code).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('usage and configuration errors are 1 under --exit-code, never 2; 2 without it', async () => {
    // An unknown flag, a bad value, a bad --directory and no directory configured at all.
    for (const args of [['--exitcode'], ['--format', 'yaml'], ['--directory', 'ldap:x'], []]) {
      const withFlag = await plan([...args, '--exit-code']);
      expect(withFlag.code, args.join(' ')).toBe(1);
      expect((await plan(args)).code, args.join(' ')).toBe(2);
    }
    // After `--`, "--exit-code" is an argument, not the flag.
    expect((await plan(['--', '--exit-code'])).code).toBe(2);
  });

  it('invalid access files are 1 with or without the flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aac-exit-'));
    cpSync(SAMPLE_DIR, join(dir, 'access'), { recursive: true });
    writeFileSync(join(dir, 'access/people/broken.yaml'), 'kind: Person\nuid: [\n');
    expect((await plan([...DIRECTORY, '--exit-code'], dir)).code).toBe(1);
    expect((await plan(DIRECTORY, dir)).code).toBe(1);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('commands find the access folder from any folder of the repository, as git finds .git', () => {
  it('validate, plan and codeowners from access/people and from an unrelated sub-folder', async () => {
    const nested = join(repo, 'docs/notes');
    execFileSync('mkdir', ['-p', nested]);
    for (const cwd of [join(repo, 'access/people'), nested]) {
      const validate = await runCli(['validate', '--no-history'], { cwd, env: NOW });
      expect(validate.code, cwd).toBe(0);
      expect(validate.stdout).toMatch(/^24 files checked: no problems\n$/);
      const plan = await runCli(['plan', '--directory', `file:${join(repo, '.aac/d.json')}`], { cwd, env: NOW });
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain('+ create account jsmith');
    }
    // Diagnostics name the file so that an editor opens it from where the command ran.
    writeFileSync(join(repo, 'access/people/zz.yaml'), 'kind: Person\n');
    try {
      const broken = await runCli(['validate', '--no-history'], { cwd: join(repo, 'access/people'), env: NOW });
      expect(broken.stdout).toMatch(/^\/\S+\/access\/people\/zz\.yaml:1:1: error SCHEMA_REQUIRED/m);
    } finally {
      rmSync(join(repo, 'access/people/zz.yaml'));
    }
  });

  it('evaluate from a sub-folder judges the same change as from the root', async () => {
    const root = await runCli(['evaluate', '--base', 'HEAD', '--head', 'HEAD', '--format', 'json'], {
      cwd: repo,
      env: NOW,
    });
    const nested = await runCli(['evaluate', '--base', 'HEAD', '--head', 'HEAD', '--format', 'json'], {
      cwd: join(repo, 'access/systems'),
      env: NOW,
    });
    expect(root.code).toBe(0);
    expect(nested).toEqual(root);
  });

  it('does not climb out of the repository it is in', async () => {
    const inner = mkdtempSync(join(repo, 'inner-'));
    git(inner, 'init', '-q');
    const run = await runCli(['validate', '--no-history'], { cwd: inner, env: NOW });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('access');
    rmSync(inner, { recursive: true, force: true });
  });
});

describe('colour on a terminal, honouring NO_COLOR and FORCE_COLOR', () => {
  const plan = (env: NodeJS.ProcessEnv, isTTY: boolean) =>
    runCli(['plan', '--directory', 'file:.aac/colour.json'], { cwd: repo, env: { ...NOW, ...env }, isTTY });

  it('colours plan lines on a terminal only', async () => {
    const tty = await plan({}, true);
    expect(tty.stdout).toMatch(/^\u001b\[32m\+ create account jsmith/m);
    expect((await plan({}, false)).stdout).not.toMatch(ANSI);
    expect((await plan({ NO_COLOR: '1' }, true)).stdout).not.toMatch(ANSI);
    expect((await plan({ TERM: 'dumb' }, true)).stdout).not.toMatch(ANSI);
    expect((await plan({ FORCE_COLOR: '1' }, false)).stdout).toMatch(ANSI);
    expect((await plan({ FORCE_COLOR: '0' }, true)).stdout).not.toMatch(ANSI);
    // Without colour the text is byte for byte what a pipe gets.
    expect((await plan({ NO_COLOR: '1' }, true)).stdout).toBe((await plan({}, false)).stdout);
  });

  it('JSON and GitHub formats are never coloured', async () => {
    const json = await runCli(['validate', '--no-history', '--format', 'json'], {
      cwd: repo,
      env: { ...NOW, FORCE_COLOR: '1' },
      isTTY: true,
    });
    expect(json.stdout).not.toMatch(ANSI);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });
});

describe('did you mean', () => {
  it('suggests the command, the flag, the subcommand flag', async () => {
    const command = await runCli(['valdate'], { cwd: repo, env: NOW });
    expect(command).toMatchObject({ code: 2 });
    expect(command.stderr).toContain('Did you mean `aac validate`?');
    const flag = await runCli(['plan', '--exitcode'], { cwd: repo, env: NOW });
    expect(flag.stderr).toContain('Did you mean --exit-code?');
    const sub = await runCli(['audit', 'verify', '--sinse', 'HEAD'], { cwd: repo, env: NOW });
    expect(sub.stderr).toContain('Did you mean --since?');
    const far = await runCli(['frobnicate'], { cwd: repo, env: NOW });
    expect(far.stderr).not.toContain('Did you mean');
    expect(far.stderr).toContain('Commands:');
  });
});

describe('aac --version and aac completion', () => {
  it('prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await runCli(['--version'], { cwd: repo })).toMatchObject({ code: 0, stdout: `aac ${version}\n` });
  });

  it('bash, zsh and fish complete commands, subcommands and flags in the real shells', async () => {
    const script = async (shell: string): Promise<string> => {
      const path = join(repo, `completion.${shell}`);
      writeFileSync(path, (await runCli(['completion', shell], { cwd: repo })).stdout);
      return path;
    };
    const bash = await script('bash');
    const inBash = (words: string[]): string[] =>
      execFileSync(
        'bash',
        [
          '-c',
          `source '${bash}'; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _aac; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { encoding: 'utf8' },
      )
        .split('\n')
        .filter(Boolean);
    expect(inBash(['aac', 'val'])).toEqual(['validate']);
    expect(inBash(['aac', 'plan', '--exit'])).toEqual(['--exit-code']);
    expect(inBash(['aac', 'audit', 'ver'])).toEqual(['verify']);
    expect(inBash(['aac', 'audit', 'verify', '--sin'])).toEqual(['--since']);

    const fish = await script('fish');
    const inFish = (line: string): string[] =>
      execFileSync('fish', ['--no-config', '-c', `source '${fish}'; complete -C '${line}'`], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]!);
    expect(inFish('aac val')).toEqual(['validate']);
    expect(inFish('aac plan --exit')).toEqual(['--exit-code']);
    expect(inFish('aac audit ver')).toEqual(['verify']);

    const zsh = await script('zsh');
    expect(spawnSync('zsh', ['-n', zsh]).status).toBe(0);
    // The completion function with zsh's completion builtins replaced by printers.
    const inZsh = (words: string[], prefix = ''): string[] =>
      execFileSync(
        'zsh',
        [
          '-f',
          '-c',
          `compdef() {}; _describe() { print -l -- \${(P)2}; }; compadd() { shift; print -l -- "$@"; }; _files() { print FILES; }
           source '${zsh}'; words=(${words.join(' ')}); CURRENT=${words.length}; PREFIX='${prefix}'; _aac`,
        ],
        { encoding: 'utf8' },
      )
        .split('\n')
        .filter(Boolean);
    expect(inZsh(['aac', 'val'])).toContain('validate:check the access files: schemas and cross-file rules');
    expect(inZsh(['aac', 'plan', '--ex'], '--ex')).toContain('--exit-code');
    expect(inZsh(['aac', 'plan', 'acc'], 'acc')).toEqual(['FILES']);
    expect(inZsh(['aac', 'audit', 've'])[0]).toMatch(/^verify:/);
  });

  it('refuses an unknown shell', async () => {
    expect((await runCli(['completion', 'tcsh'], { cwd: repo })).code).toBe(2);
  });
});

describe('counts read right, and long runs show progress on a terminal only', () => {
  it('"1 action", "1 group", "1 member" in singular', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aac-plural-'));
    cpSync(SAMPLE_DIR, join(dir, 'access'), { recursive: true });
    expect((await runCli(['apply', ...DIRECTORY, '--audit-log', 'file:a.jsonl'], { cwd: dir, env: NOW })).code).toBe(0);
    const person = join(dir, 'access/people/jsmith.yaml');
    writeFileSync(
      person,
      `${readFileSync(person, 'utf8')}  - system: project-tools\n    role: member\n    justification: One more.\n`,
    );
    const plan = await runCli(['plan', ...DIRECTORY], { cwd: dir, env: NOW });
    expect(plan.stdout).toContain('0 groups to create; 1 member to add');
    const apply = await runCli(['apply', ...DIRECTORY, '--audit-log', 'file:a.jsonl'], { cwd: dir, env: NOW });
    expect(apply.stdout).toContain('Applied 1 action: 1 done');
    rmSync(dir, { recursive: true, force: true });
  });

  it('plan and apply of 1,200 people draw progress on a terminal, and nothing in a pipe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aac-progress-'));
    generateOrg(dir, { people: 1200, systems: 10, rolesPerSystem: 5, grantsPerPerson: 2 });
    const args = [...DIRECTORY, '--audit-log', 'file:a.jsonl'];
    const piped = await runCli(['plan', ...DIRECTORY], { cwd: dir, env: NOW });
    expect(piped.stderr).not.toContain('\r');
    const plan = await runCli(['plan', ...DIRECTORY], { cwd: dir, env: NOW, isTTY: true });
    expect(plan.code, plan.stdout.slice(-500)).toBe(0);
    expect(plan.stderr).toMatch(/\r\u001b\[2Kreading files \d+\/\d+ \(\d+%\)/);
    expect(plan.stderr).toContain('plan: reading the directory...');
    // The status line is cleared before anything else is written.
    expect(plan.stderr).toContain('plan: computing the plan...\r\u001b[2K');
    const apply = await runCli(['apply', ...args], { cwd: dir, env: NOW, isTTY: true });
    expect(apply.code).toBe(0);
    expect(apply.stderr).toMatch(/\r\u001b\[2Kapplying \d+\/\d+ \(100%\)/);
    expect(apply.stdout).toMatch(/Applied [\d,]+ actions: /);
    rmSync(dir, { recursive: true, force: true });
  });
});
