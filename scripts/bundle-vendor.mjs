// Replaces dist/vendor/yaml.js (a re-export of the `yaml` package, as tsc compiled it) with the
// package's ES module build bundled into one file, so Node loads one module instead of 72 on
// every command that reads YAML. Same package, same version, same API: only the loading changes.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const yamlDir = dirname(require.resolve('yaml/package.json'));
const { version } = require('yaml/package.json');

await build({
  entryPoints: [join(yamlDir, 'browser', 'index.js')],
  outfile: join(root, 'dist', 'vendor', 'yaml.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'node20',
  legalComments: 'inline',
  banner: { js: `// yaml ${version} (ISC licence, https://eemeli.org/yaml/), bundled by scripts/bundle-vendor.mjs` },
  logLevel: 'warning',
});
rmSync(join(root, 'dist', 'vendor', 'yaml.js.map'), { force: true }); // tsc's map of the re-export, now wrong
