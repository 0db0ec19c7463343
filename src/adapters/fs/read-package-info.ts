import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What aac knows about itself from its package.json. */
export interface PackageInfo {
  name: string;
  version: string;
  /** `owner/name` of the GitHub repository the Action is used from, e.g. `example/aac`. */
  actionRepo: string;
}

/** package.json of this package (three levels up from src/adapters/fs or dist/adapters/fs). */
export const PACKAGE_JSON = fileURLToPath(new URL('../../../package.json', import.meta.url));

let cached: PackageInfo | undefined;

/** Reads aac's own package.json once: the version `aac --version` prints and `aac init` pins. */
export function readPackageInfo(): PackageInfo {
  if (cached) return cached;
  const json = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as {
    name: string;
    version: string;
    repository?: { url?: string };
  };
  const match = /github\.com[/:]([^/]+\/[^/.]+)/.exec(json.repository?.url ?? '');
  cached = { name: json.name, version: json.version, actionRepo: match?.[1] ?? `${json.name}/${json.name}` };
  return cached;
}
