// The floor for `aac validate`: read every YAML file under a folder and parse it with
// positions (the same parser and options aac uses), nothing else.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';

const root = process.argv[2];
let count = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.yaml')) {
      const lineCounter = new LineCounter();
      const doc = parseDocument(readFileSync(path, 'utf8'), {
        lineCounter,
        uniqueKeys: true,
        prettyErrors: false,
        strict: true,
        version: '1.2',
      });
      doc.toJS({ maxAliasCount: 100 });
      count++;
    }
  }
};
walk(root);
process.stdout.write(`${count} files parsed\n`);
