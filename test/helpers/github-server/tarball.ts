import { gzipSync } from 'node:zlib';
import type { GitStore } from './git-store.js';

/**
 * The repository archive GitHub serves for `GET /repos/{owner}/{repo}/tarball/{ref}`: a gzipped
 * tar written like `git archive` writes it: a pax global header carrying the commit id, then
 * every tree and file under one top folder `<owner>-<repo>-<sha7>/`, long paths in pax
 * extended headers, symbolic links as links.
 */
export function writeTarball(store: GitStore, commit: string, top: string): Buffer {
  const tree = store.commits.get(commit)!.tree;
  const attributes = readAttributes(store, tree);
  const chunks: Buffer[] = [paxHeader('pax_global_header', 'g', { comment: commit })];
  chunks.push(entry(`${top}/`, '5', 0o775, Buffer.alloc(0)));
  for (const e of store.walk(tree)) {
    const path = `${top}/${e.path}`;
    const attrs = attributes(e.path);
    if (attrs.has('export-ignore')) continue;
    if (e.type === 'tree') chunks.push(entry(`${path}/`, '5', 0o775, Buffer.alloc(0)));
    else if (e.type === 'blob') {
      let bytes = store.blobs.get(e.sha)!;
      if (attrs.has('export-subst'))
        bytes = Buffer.from(
          bytes
            .toString('utf8')
            .replace(/\$Format:%H\$/g, commit)
            .replace(/\$Format:%h\$/g, commit.slice(0, 7)),
        );
      if (e.mode === '120000') chunks.push(entry(path, '2', 0o777, Buffer.alloc(0), bytes.toString('utf8')));
      else chunks.push(entry(path, '0', e.mode === '100755' ? 0o775 : 0o664, bytes));
    }
  }
  chunks.push(Buffer.alloc(1024)); // two zero blocks end the archive
  return gzipSync(Buffer.concat(chunks));
}

function entry(path: string, type: string, mode: number, body: Buffer, link = ''): Buffer {
  const parts: Buffer[] = [];
  let name = path;
  if (Buffer.byteLength(path) > 100 || Buffer.byteLength(link) > 100) {
    parts.push(paxHeader(`PaxHeaders/${path.slice(-80)}`, 'x', { path, ...(link ? { linkpath: link } : {}) }));
    name = path.slice(0, 99);
  }
  parts.push(header(name, type, mode, body.length, link.slice(0, 99)), pad(body));
  return Buffer.concat(parts);
}

function paxHeader(name: string, type: 'g' | 'x', records: Record<string, string>): Buffer {
  const body = Buffer.concat(Object.entries(records).map(([k, v]) => Buffer.from(paxRecord(k, v), 'utf8')));
  return Buffer.concat([header(name.slice(0, 99), type, 0o666, body.length, ''), pad(body)]);
}

/** `<length> <key>=<value>\n`, where length counts itself. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(rest) + 1;
  while (String(length).length + Buffer.byteLength(rest) !== length) length++;
  return `${length}${rest}`;
}

function header(name: string, type: string, mode: number, size: number, link: string): Buffer {
  const block = Buffer.alloc(512);
  const put = (offset: number, length: number, text: string): void => void block.write(text, offset, length, 'utf8');
  const octal = (offset: number, length: number, n: number): void =>
    put(offset, length, `${n.toString(8).padStart(length - 1, '0')}\0`);
  put(0, 100, name);
  octal(100, 8, mode);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 1_700_000_000);
  put(148, 8, '        ');
  put(156, 1, type);
  put(157, 100, link);
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  put(265, 32, 'root');
  put(297, 32, 'root');
  let sum = 0;
  for (const byte of block) sum += byte;
  put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

function pad(body: Buffer): Buffer {
  const rest = body.length % 512;
  return rest === 0 ? body : Buffer.concat([body, Buffer.alloc(512 - rest)]);
}

/**
 * The root `.gitattributes`' export-ignore and export-subst, as `git archive` honours them:
 * a pattern without a slash matches the file name at any depth; `*` stays within a segment, `**` does not.
 */
function readAttributes(store: GitStore, tree: string): (path: string) => Set<string> {
  const entry = store.entryAt(tree, '.gitattributes');
  const text = entry?.type === 'blob' ? store.blobs.get(entry.sha)!.toString('utf8') : '';
  const rules = text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pattern]) => pattern && !pattern.startsWith('#'))
    .map(([pattern = '', ...attrs]) => ({ match: globToRegExp(pattern), anywhere: !pattern.includes('/'), attrs }));
  return (path) => {
    const set = new Set<string>();
    for (const rule of rules)
      if (rule.match.test(rule.anywhere ? path.slice(path.lastIndexOf('/') + 1) : path.replace(/^\//, '')))
        for (const a of rule.attrs) if (!a.startsWith('-')) set.add(a);
    return set;
  };
}

function globToRegExp(pattern: string): RegExp {
  const source = pattern
    .replace(/^\//, '')
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}
