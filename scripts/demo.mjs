// The README quick start: validate the sample, plan it against an empty embedded directory,
// apply, and show that a second plan is empty. Run with `npm run demo` (after `npm install`).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const directory = 'file:.aac/demo-directory.json';
const audit = 'file:.aac/demo-audit.jsonl';
// A fresh start each run: an empty directory, and an audit log whose first apply adopts the sample
// as the approved baseline (reconcile.requireApproval).
rmSync(new URL('../.aac/demo-directory.json', import.meta.url), { force: true });
rmSync(new URL('../.aac/demo-audit.jsonl', import.meta.url), { force: true });

// A shallow clone's history cannot show every retired uid and email, so aac refuses to read it
// (fail closed); the demo then says so and skips the history check instead of stopping.
const shallow = spawnSync('git', ['rev-parse', '--is-shallow-repository'], { cwd: root, encoding: 'utf8' });
const history = shallow.status === 0 && shallow.stdout.trim() === 'true' ? ['--no-history'] : [];
if (history.length > 0) process.stdout.write('(a shallow clone: the demo passes --no-history)\n');

const steps = [
  ['1. Validate the sample organisation', ['validate', 'access', ...history]],
  ['2. Plan against an empty embedded directory', ['plan', '--directory', directory, '--audit-log', audit, ...history]],
  [
    '3. Apply (temporary passwords go only to the notifier; none is configured here)',
    ['apply', '--directory', directory, '--audit-log', audit, ...history],
  ],
  [
    '4. Plan again: nothing left to do (--exit-code: 0 means no changes)',
    ['plan', '--directory', directory, '--audit-log', audit, '--exit-code', ...history],
  ],
];
for (const [title, args] of steps) {
  process.stdout.write(`\n== ${title}\n$ aac ${args.join(' ')}\n`);
  const run = spawnSync(process.execPath, ['bin/aac.js', ...args], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    process.stderr.write(`demo: step failed with exit code ${run.status}\n`);
    process.exit(run.status ?? 1);
  }
}
process.stdout.write('\nThe directory is in .aac/demo-directory.json, the audit log in .aac/demo-audit.jsonl.\n');
