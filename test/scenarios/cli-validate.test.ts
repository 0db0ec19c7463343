import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SAMPLE_DIR } from '../helpers/sample-tree.js';
import { runCli } from '../helpers/run-cli.js';

let work: string;
// The sample alone, outside any git repository: what this checkout's own history holds (or a shallow
// clone, which validate refuses) must not decide whether the sample validates.
let sample: string;
beforeAll(() => {
  sample = mkdtempSync(join(tmpdir(), 'aac-cli-sample-'));
  cpSync(SAMPLE_DIR, join(sample, 'access'), { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'aac-cli-'));
  cpSync(SAMPLE_DIR, join(work, 'access'), { recursive: true });
  writeFileSync(
    join(work, 'access/people/jsmith.yaml'),
    'kind: Person\nuid: jsmith\nname: Jane Smith\nemail: jane.smith@example.org\ntype: employee\nmanager: nobody\n',
  );
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(sample, { recursive: true, force: true });
});

const NOW = ['--now', '2026-11-22T12:00:00Z'];

describe('aac validate', () => {
  it('exits 0 on the sample', async () => {
    const run = await runCli(['validate', ...NOW], { cwd: sample });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^\d+ files checked: no problems\n$/);
  });

  it('prints file:line:column, the source line and a caret, and exits 1', async () => {
    const run = await runCli(['validate', 'access', ...NOW], { cwd: work });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'access/people/jsmith.yaml:6:10: error UNKNOWN_MANAGER: manager "nobody" is not a person in people/\n    manager: nobody\n             ^\n',
    );
    expect(run.stdout).toMatch(/files checked: 1 error, 0 warnings\n$/);
  });

  it('--format json prints an array of {code, severity, message, file, line, column}', async () => {
    const run = await runCli(['validate', '--format', 'json', ...NOW], { cwd: work });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        code: 'UNKNOWN_MANAGER',
        severity: 'error',
        message: 'manager "nobody" is not a person in people/',
        file: 'access/people/jsmith.yaml',
        line: 6,
        column: 10,
      },
    ]);
  });

  it('--format github prints workflow annotations', async () => {
    const run = await runCli(['validate', '--format', 'github', ...NOW], { cwd: work });
    expect(run.stdout).toBe(
      '::error file=access/people/jsmith.yaml,line=6,col=10,title=UNKNOWN_MANAGER::manager "nobody" is not a person in people/\n',
    );
  });

  it.each([
    [['validate', '--format', 'xml'], /--format must be/],
    [['validate', '--bogus'], /Unknown option/],
    [['validate', 'a', 'b'], /one directory/],
    [['validate', '--now', 'yesterday'], /--now must be/],
    [['validate', 'no-such-dir'], /no such directory/],
    [['frobnicate'], /unknown command/],
  ])('%j is a usage or I/O error (exit 2)', async (args, message) => {
    const run = await runCli(args, { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('--help describes the command', async () => {
    const run = await runCli(['validate', '--help'], { cwd: work });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: aac validate');
  });
});

describe('progress', () => {
  it('shows a counter on a terminal for large trees, and nothing in pipes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aac-big-'));
    try {
      cpSync(SAMPLE_DIR, join(dir, 'access'), { recursive: true });
      for (let i = 0; i < 1000; i++) {
        const uid = `user${i}`;
        writeFileSync(
          join(dir, 'access/people', `${uid}.yaml`),
          `kind: Person\nuid: ${uid}\nname: User ${i}\nemail: ${uid}@example.org\ntype: employee\n`,
        );
      }
      const tty = await runCli(['validate', ...NOW], { cwd: dir, isTTY: true });
      expect(tty.code).toBe(0);
      expect(tty.stderr).toContain('\r\u001b[2Kvalidating 500/1024 (48%)');
      expect(tty.stderr.endsWith('\r\u001b[2K')).toBe(true);
      const pipe = await runCli(['validate', ...NOW], { cwd: dir, isTTY: false });
      expect(pipe.stderr).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// dist/ is built once for the integration project (test/helpers/build-once.ts).
describe('the aac bin', () => {
  it('runs as a real process (npx aac validate access)', () => {
    const ok = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/aac.js'), 'validate', 'access'], {
      cwd: sample,
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/aac.js'), 'validate', 'access'], {
      cwd: work,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('UNKNOWN_MANAGER');
  });

  it('stops quietly when the reader of its output goes away (aac validate | head)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aac-epipe-'));
    try {
      mkdirSync(join(dir, 'access/people'), { recursive: true });
      // Far more diagnostics than a pipe holds, so writing them meets the closed pipe.
      for (let i = 0; i < 400; i++)
        writeFileSync(
          join(dir, 'access/people', `p${i}.yaml`),
          `kind: Person\nuid: p${i}\ncolour: blue\nshape: round\n`,
        );
      const child = spawn(
        process.execPath,
        [join(REPO_ROOT, 'bin/aac.js'), 'validate', 'access', ...NOW, '--no-history'],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.once('data', () => child.stdout.destroy()); // read the first chunk, like head
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).toBe('');
      expect(code).toBe(1); // the validation's own status: files have errors
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses a large tree on two threads with the same results as on one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aac-parallel-'));
    try {
      cpSync(SAMPLE_DIR, join(dir, 'access'), { recursive: true });
      const person = (uid: string) =>
        `kind: Person\nuid: ${uid}\nname: User ${uid}\nemail: ${uid}@example.org\ntype: employee\n`;
      for (let i = 0; i < 1200; i++) writeFileSync(join(dir, 'access/people', `user${i}.yaml`), person(`user${i}`));
      // Problems spread over both threads' chunks: syntax, schema, duplicate key, a BOM, not UTF-8.
      writeFileSync(join(dir, 'access/people/user3.yaml'), 'kind: Person\nuid: [\n');
      writeFileSync(join(dir, 'access/people/user600.yaml'), `${person('user600')}colour: blue\n`);
      writeFileSync(join(dir, 'access/people/user900.yaml'), `\uFEFF${person('user900')}`);
      writeFileSync(join(dir, 'access/people/user1000.yaml'), `${person('user1000')}uid: again\n`);
      writeFileSync(join(dir, 'access/people/user1150.yaml'), Buffer.from([0x6b, 0x69, 0xff, 0xfe, 0x0a]));

      // The built module, whose worker thread can start (under vitest the sources have no .js worker).
      const { readAccessFiles } = await import(join(REPO_ROOT, 'dist/adapters/fs/read-access-files.js'));
      const { parseSourcesInParallel } = await import(
        join(REPO_ROOT, 'dist/adapters/parse/parse-sources-in-parallel.js')
      );
      const { parseSource } = await import(join(REPO_ROOT, 'dist/core/source.js'));
      const { files } = readAccessFiles(join(dir, 'access'), dir);
      const plain = (
        r:
          { diagnostics: unknown[]; source?: { path: string; text: string; value: unknown; kind: string } } | undefined,
      ) =>
        r && {
          diagnostics: r.diagnostics,
          source: r.source && { path: r.source.path, text: r.source.text, value: r.source.value, kind: r.source.kind },
        };
      const parallel = await parseSourcesInParallel(files, { minFiles: 0 });
      expect(parallel.map(plain)).toEqual(
        files.map((f: { path: string; content: Uint8Array }) => plain(parseSource(f.path, f.content))),
      );

      const built = spawnSync(
        process.execPath,
        [join(REPO_ROOT, 'bin/aac.js'), 'validate', 'access', ...NOW, '--no-history'],
        { cwd: dir, encoding: 'utf8' },
      );
      const inProcess = await runCli(['validate', 'access', ...NOW, '--no-history'], { cwd: dir });
      expect(built.status).toBe(1);
      expect(built.stdout).toBe(inProcess.stdout);
      for (const code of ['YAML_SYNTAX', 'SCHEMA_UNKNOWN_PROPERTY', 'DUPLICATE_KEY', 'BINARY_FILE'])
        expect(built.stdout).toContain(code);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
