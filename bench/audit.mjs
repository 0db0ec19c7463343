// Benchmark: `aac audit report` on a repository with 10,000 commits on main (pull requests:
// a branch commit and a merge each) and an audit log of three records per request, divided by
// the time of `git log` over the same range with the same arguments, measured in the same run.
// Usage: node bench/audit.mjs [commits]    (run `npm run build` first; KEEP=1 keeps the repository and prints its path, for profiling)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chainEvents } from '../dist/core/audit/hash-chain.js';
import { sha256Node } from '../dist/adapters/crypto/sha256-node.js';
import { formatAuditLines, targetFileOf } from '../dist/core/audit/audit-files.js';
import { GIT_LOG_ARGS } from '../dist/core/audit/parse-git-log.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const commits = Number(process.argv[2] ?? 10_000);
const requests = Math.floor(commits / 2);
const runs = 7;
const env = { PATH: process.env.PATH, HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

const dir = mkdtempSync(join(tmpdir(), 'aac-bench-audit-'));
try {
  const started = Date.now();
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env });
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, env, input: history(), maxBuffer: 1 << 30 });
  console.log(
    `repository: ${execFileSync('git', ['rev-list', '--count', 'main'], { cwd: dir, env, encoding: 'utf8' }).trim()} commits on main, ${requests} pull requests, ${requests * 3} audit records (built in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );

  const time = (cmd, args) => {
    const t0 = process.hrtime.bigint();
    const child = spawnSync(cmd, args, {
      cwd: dir,
      env: { ...env, AAC_NOW: '2027-01-01T00:00:00Z' },
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (child.status !== 0)
      throw new Error(`${cmd} ${args.join(' ')} failed (${child.status}): ${child.stderr.slice(0, 2000)}`);
    return { ms, out: child.stdout };
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const gitLog = [];
  const gitLogFile = [];
  const floor = [];
  const report = [];
  const html = [];
  // What any Node program pays before doing work: starting, and having git write the same log to a file.
  const floorScript = `const { spawn } = require('node:child_process'); const fd = require('node:fs').openSync(${JSON.stringify(join(dir, '.git', 'bench-floor.out'))}, 'w'); spawn('git', process.argv.slice(1), { stdio: ['ignore', fd, 'inherit'] });`;
  let requestsSeen = 0;
  for (let i = 0; i < runs; i++) {
    gitLog.push(time('git', [...GIT_LOG_ARGS, 'main', '--']).ms);
    // The same git log written straight to a file, as the report itself has git do: the floor.
    gitLogFile.push(
      time('sh', ['-c', `git "$@" > ${join(dir, '.git', 'bench-log.out')}`, 'sh', ...GIT_LOG_ARGS, 'main', '--']).ms,
    );
    floor.push(time(process.execPath, ['-e', floorScript, ...GIT_LOG_ARGS, 'main', '--']).ms);
    const r = time(process.execPath, [join(root, 'bin', 'aac.js'), 'audit', 'report', '--format', 'json']);
    requestsSeen = JSON.parse(r.out).requests.length;
    report.push(r.ms);
    html.push(time(process.execPath, [join(root, 'bin', 'aac.js'), 'audit', 'report', '--format', 'html']).ms);
  }
  console.log(
    `git log (same args, range main):  ${median(gitLog).toFixed(0)} ms   (read through a pipe; ${median(gitLogFile).toFixed(0)} ms into a file)`,
  );
  console.log(
    `node start + git log into a file: ${median(floor).toFixed(0)} ms   (no parsing, no report: the floor for any Node program)`,
  );
  console.log(`aac audit report --format json:   ${median(report).toFixed(0)} ms   (${requestsSeen} requests)`);
  console.log(`aac audit report --format html:   ${median(html).toFixed(0)} ms`);
  console.log(
    `ratio report/git log:             ${(median(report) / median(gitLog)).toFixed(2)}   (aim: <= 2; median of ${runs})`,
  );
  console.log(`ratio html report/git log:        ${(median(html) / median(gitLog)).toFixed(2)}`);
  console.log(`ratio report/git log into a file: ${(median(report) / median(gitLogFile)).toFixed(2)}`);
  console.log(
    `ratio floor/git log:              ${(median(floor) / median(gitLog)).toFixed(2)}   (report minus floor: ${(median(report) - median(floor)).toFixed(0)} ms of parsing, joining and output)`,
  );
} finally {
  if (process.env.KEEP) console.log(dir);
  else rmSync(dir, { recursive: true, force: true });
}

/** A fast-import stream: the sample organisation, then pull requests that each edit one person file, and the audit branch. */
function history() {
  const sample = join(root, 'access');
  const files = [];
  for (const sub of ['', 'people', 'systems', 'orgs']) {
    for (const name of readdirSync(join(sample, sub))) if (name.endsWith('.yaml')) files.push(join(sub, name));
  }
  const people = files.filter((f) => f.startsWith('people/'));
  const text = Object.fromEntries(files.map((f) => [f, readFileSync(join(sample, f), 'utf8')]));
  const out = [];
  const data = (s) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  const who = (name, email, t) => `${name} <${email}> ${t} +0000`;
  let t = Date.parse('2026-01-01T00:00:00Z') / 1000;
  out.push(
    'commit refs/heads/main\nmark :1\n',
    `author ${who('Seed', 'seed@example.org', t)}\ncommitter ${who('Seed', 'seed@example.org', t)}\n`,
    data('Seed the access repository'),
  );
  for (const f of files) out.push(`M 100644 inline access/${f}\n`, data(text[f]));
  let main = 1;
  let mark = 1;
  const events = [];
  for (let pr = 1; pr <= requests; pr++) {
    const file = people[pr % people.length];
    const uid = file.slice('people/'.length, -'.yaml'.length);
    text[file] += `# review note ${pr}\n`;
    t += 1800;
    const branch = ++mark;
    out.push(
      `commit refs/heads/pr\nmark :${branch}\nauthor ${who('Requester', 'req@example.org', t)}\ncommitter ${who('Requester', 'req@example.org', t)}\n`,
      data(`Change ${uid}`),
      `from :${main}\n`,
      `M 100644 inline access/${file}\n`,
      data(text[file]),
    );
    t += 1800;
    const merge = ++mark;
    // The merge's tree is the branch's: without the file line, fast-import would keep main's old tree.
    out.push(
      `commit refs/heads/main\nmark :${merge}\nauthor ${who('Requester', 'req@example.org', t)}\ncommitter ${who('GitHub', 'noreply@github.com', t)}\n`,
      data(`Merge pull request #${pr} from requester/pr-${pr}`),
      `from :${main}\nmerge :${branch}\n`,
      `M 100644 inline access/${file}\n`,
      data(text[file]),
    );
    main = merge;
    const iso = (s) => new Date(s * 1000).toISOString();
    events.push(
      {
        time: iso(t - 1700),
        type: 'request.evaluated',
        actor: 'aac-app',
        subject: uid,
        pr,
        details: {
          approved: false,
          tier: 'standard',
          changes: [{ kind: 'person-changed', subject: uid, tier: 'standard' }],
          missing: ['manager'],
        },
      },
      {
        time: iso(t - 600),
        type: 'level.approved',
        actor: 'manager-gh',
        subject: uid,
        pr,
        details: { level: 'manager', reviewer: 'manager-gh', reviewedAt: iso(t - 600), tier: 'standard' },
      },
      // The apply names no commit here (fast-import marks are not SHAs): reports place it by time.
      {
        time: iso(t + 300),
        type: 'apply.completed',
        actor: 'aac-reconciler',
        details: { actions: [], counts: { done: 0, actions: 0 } },
      },
    );
  }
  // The audit branch: records chained exactly as the writers chain them, one file per month.
  const chained = chainEvents(undefined, events, sha256Node);
  if (!chained.ok) throw new Error(`bench events carry secret-looking fields: ${chained.secrets.join(', ')}`);
  const records = chained.records;
  const months = new Map();
  for (const r of records) {
    const path = targetFileOf(r.time, [...months.keys()].at(-1));
    if (!months.has(path)) months.set(path, []);
    months.get(path).push(r);
  }
  out.push(
    `commit refs/heads/access-audit\nauthor ${who('aac', 'aac@localhost', t)}\ncommitter ${who('aac', 'aac@localhost', t)}\n`,
    data('audit log'),
  );
  for (const [path, recs] of months) out.push(`M 100644 inline ${path}\n`, data(formatAuditLines(recs)));
  return out.join('');
}
