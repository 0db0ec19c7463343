// Benchmark: `aac validate` on a 10,000-person organisation (50,000 grants, 200 systems),
// divided by a floor measured in the same run: a script that only reads and parses the files.
// Usage: node bench/validate.mjs [people] [systems]    (run `npm run build` first)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOrg } from './generate-org.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const people = Number(process.argv[2] ?? 10_000);
const systems = Number(process.argv[3] ?? 200);
const runs = 5;
// Prints the child's peak resident memory (KiB) on exit.
const PEAK = `--import=data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS+'\\n'))`;

const dir = mkdtempSync(join(tmpdir(), 'aac-bench-validate-'));
try {
  const org = generateOrg(dir, { people, systems });
  console.log(`organisation: ${org.people} people, ${org.grants} grants, ${org.systems} systems`);

  const time = (args) => {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [PEAK, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const rss = Number(/maxrss=(\d+)/.exec(child.stderr)?.[1] ?? 0) / 1024;
    return { ms, rss, status: child.status, stdout: child.stdout };
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  const floor = [];
  const aac = [];
  let rss = 0;
  let floorRss = 0;
  for (let i = 0; i < runs; i++) {
    const f = time([join(here, 'parse-only.mjs'), org.root]);
    floor.push(f.ms);
    floorRss = Math.max(floorRss, f.rss);
    const a = time([join(here, '..', 'bin', 'aac.js'), 'validate', 'access', '--now', '2026-11-22T12:00:00Z']);
    if (a.status !== 0) throw new Error(`aac validate failed (${a.status}):\n${a.stdout.slice(0, 2000)}`);
    aac.push(a.ms);
    rss = Math.max(rss, a.rss);
  }
  const ratio = median(aac) / median(floor);
  console.log(`floor (read + parse):   ${median(floor).toFixed(0)} ms   peak ${floorRss.toFixed(0)} MiB`);
  console.log(`aac validate:           ${median(aac).toFixed(0)} ms   peak ${rss.toFixed(0)} MiB`);
  console.log(`ratio validate/floor:   ${ratio.toFixed(2)}   (aim: <= 1.5; median of ${runs})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
