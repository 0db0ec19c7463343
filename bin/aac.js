#!/usr/bin/env node
// The `aac` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/entrypoints/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('aac: dist/ is missing; run `npm install` (or `npm run build`) in the aac checkout first\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
