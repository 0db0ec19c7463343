import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchemas } from '../../src/adapters/fs/load-schemas.js';
import { readPullRequestSides } from '../../src/adapters/git/read-pull-request-sides.js';
import { evaluatePullRequest } from '../../src/core/policy/evaluate-pull-request.js';
import { toEvaluationJson } from '../../src/core/policy/to-evaluation-json.js';
import { createSchemaChecker } from '../../src/core/validate/schema-diagnostics.js';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';
import { REPO_ROOT, SAMPLE_DIR } from '../helpers/sample-tree.js';

const NOW = '2026-11-22T12:00:00Z';
const PEOPLE = 1200; // above MIN_FILES_FOR_WORKER, so the built CLI parses on two threads
const person = (uid: string, extra = ''): string =>
  `kind: Person\nuid: ${uid}\nname: User ${uid}\nemail: ${uid}@example.org\ntype: employee\nmanager: jsmith\n${extra}`;

let repo: GitRepo;
beforeAll(() => {
  repo = createGitRepo({ withSample: SAMPLE_DIR });
  cpSync(join(REPO_ROOT, 'schemas'), join(repo.dir, 'schemas'), { recursive: true });
  repo.write('.github/CODEOWNERS', readFileSync(join(REPO_ROOT, '.github/CODEOWNERS'), 'utf8'));
  for (let i = 0; i < PEOPLE; i++) repo.write(`access/people/user${i}.yaml`, person(`user${i}`));
  repo.commit('base');
  repo.git('checkout', '-q', '-b', 'feature');
  // Changes spread over both threads' chunks: edits, removals, additions, and files that are wrong.
  for (let i = 0; i < PEOPLE; i += 20)
    repo.write(`access/people/user${i}.yaml`, person(`user${i}`, 'status: disabled\n'));
  repo.remove('access/people/user7.yaml');
  repo.remove('access/people/user1111.yaml');
  for (const uid of ['newcomer1', 'newcomer2']) repo.write(`access/people/${uid}.yaml`, person(uid));
  repo.write('access/people/user601.yaml', `${person('user601')}colour: blue\n`);
  repo.write('access/people/user903.yaml', 'kind: Person\nuid: [\n');
  writeFileSync(join(repo.dir, 'access/people/user1150.yaml'), Buffer.from([0x6b, 0x69, 0xff, 0xfe, 0x0a]));
  repo.commit('head');
});
afterAll(() => repo.cleanup());

describe('aac evaluate parses both sides on two threads', () => {
  it('parseSidesInParallel gives every head file and exactly the base files that differ, as one thread would', async () => {
    // The built modules: under vitest the sources have no .js worker to start.
    const { parseSidesInParallel } = await import(join(REPO_ROOT, 'dist/adapters/parse/parse-sides-in-parallel.js'));
    const { parseSource } = await import(join(REPO_ROOT, 'dist/core/source.js'));
    const sides = await readPullRequestSides({ repo: repo.dir, base: 'main', head: 'feature', accessDir: 'access' });
    const parsed = await parseSidesInParallel(sides.base, sides.head, { minFiles: 0 });
    const plain = (r: any) =>
      r && {
        diagnostics: r.diagnostics,
        source: r.source && { path: r.source.path, text: r.source.text, value: r.source.value, kind: r.source.kind },
      };
    const one = (f: any) => ('problem' in f ? undefined : plain(parseSource(f.path, f.content)));
    expect(parsed.head.map(plain)).toEqual(sides.head.files.map(one));
    const differing = sides.base.files.map((f, i) => (parsed.base[i] === undefined ? undefined : f.path));
    expect(differing.filter(Boolean)).toEqual(
      [
        ...Array.from({ length: PEOPLE / 20 }, (_, k) => `access/people/user${k * 20}.yaml`),
        'access/people/user1111.yaml',
        'access/people/user1150.yaml',
        'access/people/user601.yaml',
        'access/people/user7.yaml',
        'access/people/user903.yaml',
      ].sort(),
    );
    expect(parsed.base.map(plain)).toEqual(sides.base.files.map((f, i) => (differing[i] ? one(f) : undefined)));
  });

  it('the built CLI (two threads) judges exactly like a cold one-thread evaluation, and reports a file that is not UTF-8', async () => {
    const args = ['evaluate', '--base', 'main', '--head', 'feature', '--format', 'json', '--now', NOW];
    const built = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/aac.js'), ...args], {
      cwd: repo.dir,
      encoding: 'utf8',
    });
    const inProcess = await runCli(args, { cwd: repo.dir });
    const sides = await readPullRequestSides({ repo: repo.dir, base: 'main', head: 'feature', accessDir: 'access' });
    const cold = evaluatePullRequest({
      root: 'access',
      base: sides.base,
      head: sides.head,
      headSha: sides.headSha,
      reviews: [],
      teams: {},
      checkSchema: createSchemaChecker(loadSchemas()),
      now: Date.parse(NOW),
    });
    expect(built.stderr).toBe('');
    expect(built.status).toBe(1);
    expect(JSON.parse(built.stdout)).toEqual(toEvaluationJson(cold));
    expect(built.stdout).toBe(inProcess.stdout);
    const json = JSON.parse(built.stdout);
    expect(json.changes.length).toBeGreaterThan(PEOPLE / 20);
    expect(json.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'BINARY_FILE', file: 'access/people/user1150.yaml' }),
    );
  });
});
