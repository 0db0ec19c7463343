import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import type { GitHubClient } from './approval-octokit.js';
import { gitHubError } from './github-error.js';

const BLOCK = 512;

/**
 * The blobs among `shas` found in the commit's tarball (`GET /repos/{owner}/{repo}/tarball/{ref}`),
 * by the SHA git gives their bytes: one download instead of many queries on a cold start. The
 * archive is streamed through gunzip and a tar reader; only wanted files are kept, so memory is
 * what is wanted, whatever the repository's size. What the archive rewrites or leaves out
 * (`.gitattributes` export-subst, export-ignore) simply is not found here.
 */
export async function readArchiveBlobs(
  octokit: GitHubClient,
  options: { owner: string; repo: string; commit: string; shas: ReadonlySet<string> },
): Promise<Map<string, Uint8Array>> {
  let body: WebReadableStream;
  try {
    const response = await octokit.request('GET /repos/{owner}/{repo}/tarball/{ref}', {
      owner: options.owner,
      repo: options.repo,
      ref: options.commit,
      request: { parseSuccessResponseBody: false },
    });
    body = response.data as unknown as WebReadableStream;
  } catch (error) {
    throw gitHubError(`cannot download the archive of ${options.owner}/${options.repo} at ${options.commit}`, error);
  }
  const found = new Map<string, Uint8Array>();
  const reader = new TarReader((bytes) => {
    const sha = createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
    if (options.shas.has(sha)) found.set(sha, bytes);
  });
  const gunzip = Readable.fromWeb(body).pipe(createGunzip());
  for await (const chunk of gunzip) reader.push(chunk as Buffer);
  reader.end();
  return found;
}

/**
 * A streaming reader of the tar format `git archive` writes (ustar, pax headers): calls `onFile`
 * with the bytes of each regular file. Throws on a truncated or malformed archive.
 */
export class TarReader {
  #pending: Buffer = Buffer.alloc(0);
  /** Bytes still to skip or collect for the current entry (with its padding). */
  #entry: { size: number; padded: number; file: boolean; parts: Buffer[]; got: number } | undefined;
  #ended = false;

  constructor(private readonly onFile: (bytes: Uint8Array) => void) {}

  push(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    for (;;) {
      if (this.#ended) return;
      if (this.#entry) {
        const take = Math.min(this.#entry.padded - this.#entry.got, this.#pending.length);
        if (this.#entry.file && take > 0) this.#entry.parts.push(this.#pending.subarray(0, take));
        this.#entry.got += take;
        this.#pending = this.#pending.subarray(take);
        if (this.#entry.got < this.#entry.padded) return; // the rest of it comes with the next chunk
        if (this.#entry.file)
          this.onFile(new Uint8Array(Buffer.concat(this.#entry.parts).subarray(0, this.#entry.size)));
        this.#entry = undefined;
        continue;
      }
      if (this.#pending.length < BLOCK) return;
      const header = this.#pending.subarray(0, BLOCK);
      this.#pending = this.#pending.subarray(BLOCK);
      if (header.every((b) => b === 0)) {
        this.#ended = true; // the end-of-archive blocks
        return;
      }
      if (!checksumOk(header)) throw new Error('the archive is damaged (bad tar header checksum)');
      const size = parseInt(header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
      const type = String.fromCharCode(header[156]!);
      // '0' or NUL: a regular file; everything else (directories, links, pax and GNU headers) is skipped.
      const file = type === '0' || type === '\0';
      this.#entry = { size, padded: Math.ceil(size / BLOCK) * BLOCK, file, parts: [], got: 0 };
    }
  }

  end(): void {
    if (!this.#ended || this.#entry) throw new Error('the archive ended early');
  }
}

function checksumOk(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  const stored = parseInt(
    header
      .subarray(148, 156)
      .toString('latin1')
      .replace(/[\0 ]+$/, ''),
    8,
  );
  return stored === sum;
}
