// Benchmark: `aac evaluate` of a pull request that changes 1,000 people on a 10,000-person
// organisation, divided by `aac validate` of the same (head) tree, both measured in this run.
// Evaluate validates head, builds base reusing head's unchanged files, diffs and judges.
// Usage: node bench/evaluate.mjs [people] [changed] [systems]    (run `npm run build` first)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOrg } from './generate-org.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const people = Number(process.argv[2] ?? 10_000);
const changed = Number(process.argv[3] ?? 1_000);
const systems = Number(process.argv[4] ?? 200);
const runs = 5;
const NOW = '2026-11-22T12:00:00Z';
const aac = join(here, '..', 'bin', 'aac.js');

const dir = mkdtempSync(join(tmpdir(), 'aac-bench-evaluate-'));
try {
  const org = generateOrg(dir, { people, systems });
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.org',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.org',
  };
  const git = (...args) => execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'feature');
  // Each changed person gets a later expiry on one grant: a grant-extended change, judged like a new grant.
  for (let i = 0; i < changed; i++) {
    const path = join(org.root, 'people', `user${String(i * Math.floor(people / changed)).padStart(5, '0')}.yaml`);
    writeFileSync(path, readFileSync(path, 'utf8').replace('expires: "2027-06-30"', 'expires: "2027-09-30"'));
  }
  git('commit', '-q', '-a', '-m', 'extend');
  console.log(
    `organisation: ${org.people} people, ${org.grants} grants, ${org.systems} systems; pull request changes ${changed} people`,
  );

  const time = (args) => {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [aac, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20 });
    return {
      ms: Number(process.hrtime.bigint() - started) / 1e6,
      status: child.status,
      stdout: child.stdout,
      stderr: child.stderr,
    };
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const validate = [];
  const evaluate = [];
  for (let i = 0; i < runs; i++) {
    const v = time(['validate', 'access', '--no-history', '--now', NOW]);
    if (v.status !== 0)
      throw new Error(`aac validate failed (${v.status}): ${v.stdout.slice(0, 2000)}${v.stderr.slice(0, 2000)}`);
    validate.push(v.ms);
    const e = time(['evaluate', '--base', 'main', '--head', 'feature', '--format', 'json', '--now', NOW]);
    if (e.status !== 1) throw new Error(`aac evaluate exited ${e.status}: ${e.stderr.slice(0, 2000)}`);
    const result = JSON.parse(e.stdout);
    if (result.changes.length !== changed || result.diagnostics.length !== 0)
      throw new Error(
        `expected ${changed} changes and no diagnostics, got ${result.changes.length} and ${result.diagnostics.length}`,
      );
    evaluate.push(e.ms);
  }
  console.log(`aac validate (head):    ${median(validate).toFixed(0)} ms`);
  console.log(`aac evaluate:           ${median(evaluate).toFixed(0)} ms   (${changed} changes)`);
  console.log(`ratio evaluate/validate: ${(median(evaluate) / median(validate)).toFixed(2)}   (median of ${runs})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
