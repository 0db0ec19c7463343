// Benchmark: the approval app (dist/entrypoints/app/main.js, a child process as in production)
// against the test GitHub that enforces GitHub's limits (test/helpers/github-server, bundled with
// esbuild), on a 10,000-person organisation. Prints, in one run: the first event's time (a cold
// start) and a review event's time, each divided by `aac validate` of the same tree measured in
// this run (aims: first event <= 2.0, review event <= 0.2), the API calls of each event, and the
// app's peak memory. An event's time runs from the delivery to the check run reaching GitHub
// (the verdict); the writes after it are paced one second apart by design, and each review is
// delivered more than a second after the previous event, so that pacing is not what is measured.
// Usage: npm run bench:app [-- people] [changed]    (builds first)
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sign } from '@octokit/webhooks-methods';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const people = Number(process.argv[2] ?? 10_000);
const changed = Number(process.argv[3] ?? 10);
const reviewRuns = 5;
const NOW = '2026-11-22T12:00:00Z';
const SECRET = 'bench-secret';
// Prints the child's peak resident memory (KiB) when it exits, also when it is stopped.
const PEAK = `--import=data:text/javascript,process.on('SIGTERM',()=>process.exit(0));process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS+'\\n'))`;

const bundle = join(here, '.out', 'github-server.mjs');
mkdirSync(dirname(bundle), { recursive: true });
await build({
  entryPoints: [join(root, 'test/helpers/github-server/index.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: bundle,
  logLevel: 'error',
});
const server = await import(pathToFileURL(bundle).href);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = mkdtempSync(join(tmpdir(), 'aac-bench-app-'));
const github = await server.startTestGitHub();
let app;
try {
  const { files } = server.seedOrganisation(github.state, { people });
  const pull = server.openPull(github.state, {
    number: 1,
    author: 'gh-user00500',
    files: server.changeExpiries(files, changed),
  });
  console.log(`organisation: ${people} people (${files.size} files); the pull request changes ${changed} of them`);

  // The baseline: aac validate of the head tree, from disk, in this run.
  for (const [path, text] of server.changeExpiries(files, changed)) {
    if (!path.startsWith('access/')) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const validate = [];
  for (let i = 0; i < 3; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(
      process.execPath,
      [join(root, 'bin/aac.js'), 'validate', 'access', '--no-history', '--now', NOW],
      {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      },
    );
    if (run.status !== 0) throw new Error(`aac validate failed (${run.status}): ${run.stdout.slice(0, 1000)}`);
    validate.push(Number(process.hrtime.bigint() - started) / 1e6);
  }

  app = await startApp(github.url);
  const deliver = async (name, payload) => {
    const before = github.state.checkRuns.length;
    const mark = github.state.calls.length;
    const started = process.hrtime.bigint();
    const body = JSON.stringify(payload);
    const response = fetch(`${app.url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': name,
        'x-github-delivery': `bench-${mark}`,
        'x-hub-signature-256': await sign(SECRET, body),
      },
      body,
    });
    while (github.state.checkRuns.length === before) await new Promise((resolve) => setTimeout(resolve, 2));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    await (await response).text();
    await app.evaluated(`bench-${mark}`);
    const calls = github.state
      .callsSince(mark)
      .filter((c) => !c.route.includes('access_tokens') && c.route !== 'GET codeload');
    const verdict = github.state.checkRuns.at(-1).conclusion;
    return { ms, calls, verdict, read: app.read(`bench-${mark}`) };
  };
  const first = await deliver(
    'pull_request',
    server.pullEventPayload(github.state, pull, { name: 'pull_request', action: 'opened' }),
  );
  const reviews = [];
  for (let i = 0; i < reviewRuns; i++) {
    // The app spaces an installation's writes (and GraphQL queries, which the throttling plugin
    // queues with them) one second apart, as GitHub asks: events are delivered after that pause,
    // so the time measured is the app's work, not the pacing.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const review = server.addReview(github.state, pull, `gh-user0010${i}`, 'COMMENTED');
    reviews.push(
      await deliver(
        'pull_request_review',
        server.pullEventPayload(github.state, pull, { name: 'pull_request_review', action: 'submitted', review }),
      ),
    );
  }
  const peak = await app.stop();
  const v = median(validate);
  const r = median(reviews.map((x) => x.ms));
  const byRoute = (calls) =>
    Object.entries(calls.reduce((m, c) => ({ ...m, [c.route]: (m[c.route] ?? 0) + 1 }), {}))
      .map(([route, n]) => `${n} ${route}`)
      .join(', ');
  console.log(`aac validate (head):     ${v.toFixed(0)} ms   (median of 3)`);
  console.log(
    `first event (cold):      ${first.ms.toFixed(0)} ms   ratio ${(first.ms / v).toFixed(2)}   (aim <= 2.0)   verdict ${first.verdict}`,
  );
  console.log(
    `review event (warm):     ${r.toFixed(0)} ms   ratio ${(r / v).toFixed(2)}   (aim <= 0.2; median of ${reviewRuns})`,
  );
  console.log(`API calls, first event:  ${first.calls.length}   (${byRoute(first.calls)})`);
  console.log(`API calls, review event: ${reviews[0].calls.length}   (${byRoute(reviews[0].calls)})`);
  console.log(
    `app time, first: ${JSON.stringify(first.read.ms)}; review: ${JSON.stringify(reviews.map((x) => x.read.ms))}`,
  );
  console.log(
    `files parsed: first ${first.read.parsed}, review ${reviews.map((x) => x.read.parsed).join('/')}; blob reads first ${JSON.stringify(first.read.reads)}`,
  );
  console.log(
    `app peak memory (RSS):   ${(peak / 1024).toFixed(0)} MiB; file cache ${(reviews.at(-1).read.cache.bytes / 1048576).toFixed(1)} MiB of ${(reviews.at(-1).read.cache.maxBytes / 1048576).toFixed(0)}`,
  );
} finally {
  await app?.stop().catch(() => undefined);
  await github.close();
  rmSync(dir, { recursive: true, force: true });
}

/** The app server as production runs it: `node dist/entrypoints/app/main.js`, configured by the environment. */
async function startApp(githubUrl) {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' });
  const child = spawn(process.execPath, [PEAK, join(root, 'dist/entrypoints/app/main.js')], {
    env: {
      PATH: process.env.PATH,
      APP_ID: '1',
      PRIVATE_KEY: key.toString(),
      WEBHOOK_SECRET: SECRET,
      PORT: '0',
      HOST: '127.0.0.1',
      GHE_HOST: githubUrl.replace(/^http:\/\//, ''),
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = [];
  let stderr = '';
  let buffered = '';
  child.stdout.on('data', (chunk) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) if (line.startsWith('{')) logs.push(JSON.parse(line));
  });
  child.stderr.on('data', (chunk) => (stderr += chunk.toString('utf8')));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const waitFor = async (test, what) => {
    for (let i = 0; i < 60_000 / 5; i++) {
      const line = logs.find(test);
      if (line) return line;
      if (child.exitCode !== null) throw new Error(`the app exited: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`the app did not log ${what}: ${stderr}`);
  };
  const listening = await waitFor((l) => /listening on/.test(l.msg ?? ''), 'that it listens');
  return {
    url: /listening on (\S+)/.exec(listening.msg)[1],
    evaluated: (id) =>
      waitFor((l) => l.id === id && l.msg === 'GitHub API calls of this evaluation', `the end of ${id}`),
    read: (id) => logs.find((l) => l.id === id && l.msg === 'files read'),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      return Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? 0);
    },
  };
}
