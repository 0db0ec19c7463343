import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { REPO_ROOT, SAMPLE_DIR } from '../helpers/sample-tree.js';

// `aac request`: the wizard driven on a real pseudo-terminal (util-linux `script`), and the same
// request from flags, on real git repositories with a local bare origin.
const NOW = '2026-11-22T12:00:00Z';
const JSMITH = 'access/people/jsmith.yaml';
const BRANCH = 'aac/request-jsmith-project-tools-member';
let work: string;
let repo: string;
let origin: string;

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=Jane Smith', '-c', 'user.email=jane.smith@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'aac-request-'));
  origin = join(work, 'origin.git');
  git(work, 'init', '-q', '--bare', '-b', 'main', origin);
  repo = join(work, 'access-repo');
  mkdirSync(repo);
  cpSync(SAMPLE_DIR, join(repo, 'access'), { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.name', 'Jane Smith');
  git(repo, 'config', 'user.email', 'jane.smith@example.org');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'The sample organisation');
  git(repo, 'remote', 'add', 'origin', origin);
  git(repo, 'push', '-q', 'origin', 'main');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A folder for PATH holding only git and node: no gh, whatever the machine has installed. */
function pathWithout(extra: Record<string, string> = {}): string {
  const bin = join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(), join(bin, 'git'));
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const [name, script] of Object.entries(extra)) {
    writeFileSync(join(bin, name), script);
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

/**
 * Runs `aac ARGS` from the sources (through vite-node) on a pseudo-terminal made by `script`,
 * answering each prompt when it appears. Resolves with everything the terminal showed.
 */
async function onTerminal(
  args: string[],
  dialogue: Array<[prompt: string, keys: string]>,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; screen: string }> {
  const entry = join(work, 'aac.ts');
  writeFileSync(
    entry,
    `import { main } from ${JSON.stringify(join(REPO_ROOT, 'src/entrypoints/cli/main.js'))};\nprocess.exitCode = await main(process.argv.slice(2));\n`,
  );
  const vite = join(REPO_ROOT, 'node_modules/vite-node/vite-node.mjs');
  const command = `stty cols 160 rows 50; exec ${[process.execPath, vite, entry, ...args].map((w) => `'${w}'`).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: repo, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  let errors = '';
  child.stdout.on('data', (d: Buffer) => (screen += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (errors += d.toString('utf8')));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    let seen = 0;
    for (const [prompt, keys] of dialogue) {
      await until(
        () => screen.indexOf(prompt, seen) >= 0,
        () => `no "${prompt}" on the screen:\n${screen.slice(-3000)}`,
      );
      seen = screen.indexOf(prompt, seen) + prompt.length;
      // Typed as a person would: the search list settles before Enter.
      const [text, enter] = keys.endsWith('\r') ? [keys.slice(0, -1), '\r'] : [keys, ''];
      if (text) child.stdin.write(text);
      if (text && enter) await pause(250);
      if (enter) child.stdin.write(enter);
    }
    return { code: await withTimeout(closed, 20_000), screen };
  } finally {
    child.kill();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(test: () => boolean, message: () => string, ms = 20_000): Promise<void> {
  for (let waited = 0; !test(); waited += 50) {
    if (waited > ms) throw new Error(message());
    await pause(50);
  }
}
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
const plain = (screen: string): string => screen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

describe('aac request on a terminal', () => {
  it('searches the people and the catalog, shows the tier and approvers, then commits the change', async () => {
    const env = { PATH: `${pathWithout()}:/usr/bin:/bin`, HOME: work, TERM: 'xterm-256color', AAC_NOW: NOW };
    const { code, screen } = await onTerminal(
      ['request'],
      [
        ['Who needs access?', 'jane\r'],
        ['Which system and role?', 'project-tools/mem\r'],
        ['Add another system or role?', '\r'],
        ['Why is this access needed?', 'Joins the Q1 launch project.\r'],
        ['Is this an emergency', '\r'],
        ['Start date', '\r'],
        ['Last day of access', '2027-01-31\r'],
        ['Commit it on a new branch', '\r'],
      ],
      env,
    );
    const text = plain(screen);
    expect(code, text.slice(-2000)).toBe(0);
    expect(text).toContain('Edits access/people/jsmith.yaml');
    expect(text).toContain('Tier: standard');
    expect(text).toMatch(
      /grant-added project-tools\/member for jsmith \(standard\)\n\s+manager \(.*\): one of mjohnson-ex/,
    );
    expect(text).toContain(`Committed`);
    expect(text).toContain('(gh is not installed)');
    expect(text).toContain(`git push --set-upstream origin ${BRANCH}`);

    // One commit on a new branch, touching the person's file only, which now holds the grant.
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(BRANCH);
    expect(git(repo, 'diff', '--name-only', 'main', BRANCH)).toBe(JSMITH);
    const grants = (parse(readFileSync(join(repo, JSMITH), 'utf8')) as { grants: unknown[] }).grants;
    expect(grants.at(-1)).toEqual({
      system: 'project-tools',
      role: 'member',
      justification: 'Joins the Q1 launch project.',
      expires: '2027-01-31',
    });
    // Comments and layout kept: the diff only adds lines.
    expect(git(repo, 'diff', '--numstat', 'main', BRANCH)).toBe(`4\t0\t${JSMITH}`);
    // And the gate judges it as the wizard said.
    const judged = await runCli(['evaluate', '--base', 'main', '--head', BRANCH, '--format', 'json'], {
      cwd: repo,
      env: { AAC_NOW: NOW },
    });
    const evaluation = JSON.parse(judged.stdout) as {
      changes: Array<{ kind: string; tier: string; levels: Array<{ level: string }> }>;
    };
    expect(evaluation.changes.map((c) => [c.kind, c.tier, c.levels.map((l) => l.level)])).toEqual([
      ['grant-added', 'standard', ['manager']],
    ]);
  }, 60_000);

  it('an emergency needs an end date; the answer is asked again until it is one', async () => {
    const env = { PATH: `${pathWithout()}:/usr/bin:/bin`, HOME: work, TERM: 'xterm', AAC_NOW: NOW };
    const { code, screen } = await onTerminal(
      ['request', '--person', 'jsmith', '--grant', 'project-tools/member', '--no-commit'],
      [
        ['Why is this access needed?', 'Incident 4711: restore the launch board.\r'],
        ['Is this an emergency', 'y\r'],
        ['Start date', '\r'],
        ['Last day of access', '\r'],
        ['emergency access needs an end date', '2026-11-23\r'],
        ['Write access/people/jsmith.yaml?', '\r'],
      ],
      env,
    );
    const text = plain(screen);
    expect(code, text.slice(-1500)).toBe(0);
    expect(text).toContain('Tier: emergency');
    expect(text).toMatch(/it-security \(.*\): a member of example\/it-security/);
    expect(git(repo, 'status', '--porcelain')).toBe(`M ${JSMITH}`);
  }, 60_000);
});

describe('aac request from flags', () => {
  const request = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runCli(['request', ...args], { cwd: join(repo, 'access/people'), env: { AAC_NOW: NOW, ...env } });
  const FLAGS = [
    '--person',
    'jsmith',
    '--grant',
    'project-tools/member',
    '--justification',
    'Joins the Q1 launch project.',
  ];

  it('pushes the branch and opens the pull request with gh when it is there', async () => {
    const calls = join(work, 'gh-calls.txt');
    const gh = `#!/bin/sh\nprintf '%s\\n' "$@" >> '${calls}'\n[ "$1" = --version ] && exit 0\necho https://github.com/example/access/pull/7\n`;
    const run = await request([...FLAGS, '--yes'], { PATH: `${pathWithout({ gh })}:/usr/bin:/bin` });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Opened https://github.com/example/access/pull/7 (tier standard) from ${BRANCH}.`);
    expect(git(origin, 'rev-parse', BRANCH)).toBe(git(repo, 'rev-parse', BRANCH));
    const args = readFileSync(calls, 'utf8').split('\n');
    expect(args.slice(args.indexOf('pr'), args.indexOf('pr') + 10)).toEqual([
      'pr',
      'create',
      '--base',
      'main',
      '--head',
      BRANCH,
      '--title',
      'Access request: project-tools/member for jsmith',
      '--body-file',
      expect.stringMatching(/aac-request\/aac-request-jsmith-project-tools-member\.md$/),
    ]);
    const body = readFileSync(args[args.indexOf('--body-file') + 1]!, 'utf8');
    expect(body).toContain('Joins the Q1 launch project.');
    expect(body).toContain('@mjohnson-ex');
  });

  it('not on a terminal and an answer missing: says which flags, writes nothing', async () => {
    const run = await request(['--person', 'jsmith']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('give --grant (or --system and --role), --justification');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('an invalid request says what to fix and changes nothing', async () => {
    const run = await request(['--person', 'jsmith', '--grant', 'crm/sales-rap', '--justification', 'Sales work.']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'access: CRM (crm) has no role "sales-rap"; its roles are sales-rep, sales-manager, partner, admin',
    );
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'branch', '--list')).toBe('* main');
  });

  it('refuses when the person file has uncommitted edits, and leaves them alone', async () => {
    writeFileSync(join(repo, JSMITH), `${readFileSync(join(repo, JSMITH), 'utf8')}# a note\n`);
    const run = await request([...FLAGS, '--yes', '--no-pr']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has uncommitted changes');
    expect(readFileSync(join(repo, JSMITH), 'utf8').endsWith('# a note\n')).toBe(true);
    expect(git(repo, 'branch', '--list')).toBe('* main');
  });

  it('--dry-run shows the change and writes nothing', async () => {
    const run = await request([...FLAGS, '--dry-run']);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain('Tier: standard');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});
