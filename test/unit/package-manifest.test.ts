import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/sample-tree.js';

interface LockEntry {
  version: string;
  dev?: boolean;
  engines?: { node?: string } | string[];
}
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  private?: boolean;
  engines: { node: string };
  dependencies: Record<string, string>;
  files: string[];
  bin: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const production = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && !entry.dev);

describe('package.json tells the truth', () => {
  it('declares a Node range that every production dependency it ships declares too', () => {
    const ours = manifest.engines.node;
    const narrower = production.flatMap(([path, entry]) => {
      const theirs = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      return theirs === undefined || semver.subset(ours, theirs) ? [] : [`${path}@${entry.version}: ${theirs}`];
    });
    expect(narrower).toEqual([]);
    // The Actions runtimes the workflows and the Action use, and the newest LTS lines.
    for (const node of ['22.13.0', '22.22.0', '24.0.0', '24.15.0'])
      expect(semver.satisfies(node, ours), node).toBe(true);
    // And the check can fail: a range reaching back to Node 20 is narrower than content-type's (>=22).
    expect(semver.subset('>=20.18.1', '>=22')).toBe(false);
  });

  it('is publishable, ships what the code reads at run time, and every dependency is locked', () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest.bin).toEqual({ aac: 'bin/aac.js' });
    for (const folder of ['bin/', 'dist/', 'schemas/', 'templates/']) expect(manifest.files).toContain(folder);
    for (const name of Object.keys(manifest.dependencies))
      expect(lock.packages[`node_modules/${name}`]?.dev, name).toBeUndefined();
    expect(production.length).toBeGreaterThan(50);
  });
});
