import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** One package version the registry serves, and where its tarball is. */
interface Served {
  manifest: Record<string, unknown>;
  tarball: string;
}

export interface LocalRegistry {
  /** `http://127.0.0.1:PORT/`, for `npm_config_registry`. */
  url: string;
  /** Every request, as `METHOD /path` (to show npm asked nothing else). */
  requests: string[];
  close: () => Promise<void>;
}

/**
 * An npm registry on 127.0.0.1 serving one packed tarball (`aac` as `npm pack` made it) and the
 * production dependencies of this repository's lockfile, whose tarballs come from npm's own
 * cache (filled by `npm ci`): so that tests install the package the way an organisation does,
 * with real npm resolving versions and checking integrity, and no other address is contacted.
 * A dependency missing from the cache fails loudly, naming it.
 */
export async function startLocalRegistry(options: { tarball: string; lockfile: string }): Promise<LocalRegistry> {
  const cache = join(execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim(), '_cacache');
  const packages = new Map<string, Map<string, Served>>();
  const add = (name: string, version: string, served: Served): void => {
    if (!packages.has(name)) packages.set(name, new Map());
    packages.get(name)!.set(version, served);
  };

  const lock = JSON.parse(readFileSync(options.lockfile, 'utf8')) as {
    packages: Record<string, { version: string; integrity?: string; dev?: boolean; [key: string]: unknown }>;
  };
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev || !entry.integrity) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const tarball = cachedContent(cache, entry.integrity);
    if (!tarball) {
      missing.push(`${name}@${entry.version}`);
      continue;
    }
    const { version, integrity, dependencies, optionalDependencies, peerDependencies, bin, engines, os, cpu } = entry;
    add(name, version, {
      manifest: {
        name,
        version,
        dependencies,
        optionalDependencies,
        peerDependencies,
        bin,
        engines,
        os,
        cpu,
        integrity,
      },
      tarball,
    });
  }
  if (missing.length > 0)
    throw new Error(`npm's cache (${cache}) lacks ${missing.join(', ')}: run npm ci in this repository first`);

  const own = JSON.parse(
    execFileSync('tar', ['-xOzf', options.tarball, 'package/package.json'], { encoding: 'utf8' }),
  ) as Record<string, unknown> & { name: string; version: string };
  const integrity = `sha512-${createHash('sha512').update(readFileSync(options.tarball)).digest('base64')}`;
  add(own.name, own.version, { manifest: { ...own, integrity }, tarball: options.tarball });

  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const url = new URL(request.url ?? '/', 'http://registry');
    const tarballMatch = /^\/-\/tarball\/(.+)\/([^/]+)\.tgz$/.exec(url.pathname);
    if (tarballMatch) {
      const served = packages.get(decodeURIComponent(tarballMatch[1]!))?.get(tarballMatch[2]!);
      if (!served) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      createReadStream(served.tarball).pipe(response);
      return;
    }
    const name = decodeURIComponent(url.pathname.slice(1));
    const versions = packages.get(name);
    if (!versions) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const packument = {
      name,
      'dist-tags': { latest: [...versions.keys()].at(-1) },
      versions: Object.fromEntries(
        [...versions].map(([version, served]) => {
          const { integrity: sri, ...manifest } = served.manifest;
          const tarball = `${base}/-/tarball/${encodeURIComponent(name)}/${version}.tgz`;
          return [version, { ...manifest, dist: { tarball, integrity: sri } }];
        }),
      ),
    };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The path of a tarball in npm's content-addressed cache (cacache: content-v2/<algo>/<hex>), if there. */
function cachedContent(cache: string, integrity: string): string | undefined {
  const [algorithm, digest] = integrity.split(' ')[0]!.split('-', 2) as [string, string];
  const hex = Buffer.from(digest, 'base64').toString('hex');
  const path = join(cache, 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
  return existsSync(path) ? path : undefined;
}
