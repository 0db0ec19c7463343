// Ships the tested dependency tree with the package: `npm pack` and `npm publish` run this before
// packing (write) and after (remove). npm installs a package's npm-shrinkwrap.json exactly, so an
// organisation installing aac@X gets the very versions this repository's lockfile was tested
// with (and whose engines the package's `engines` field was checked against), never a newer
// transitive release picked at install time. Dev dependencies stay flagged `dev` and are not
// installed for users.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = `${root}npm-shrinkwrap.json`;
const mode = process.argv[2];
if (mode === 'write') {
  const lock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8'));
  writeFileSync(target, `${JSON.stringify(lock, null, 2)}\n`);
} else if (mode === 'remove') {
  rmSync(target, { force: true });
} else {
  process.stderr.write('usage: node scripts/pack-shrinkwrap.mjs write|remove\n');
  process.exit(2);
}
