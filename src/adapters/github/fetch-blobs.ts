import { createHash } from 'node:crypto';
import type { GitHubClient } from './approval-octokit.js';
import { readArchiveBlobs } from './read-archive-blobs.js';
import { GitHubError } from '../../errors.js';
import { gitHubError, statusOf } from './github-error.js';

/** A blob to fetch, as a tree entry names it. */
export interface WantedBlob {
  sha: string;
  /** Its size in bytes, from the tree entry (packs GraphQL batches without asking). */
  size: number;
  /** A path that holds it, for messages. */
  path: string;
}

export interface FetchBlobsOptions {
  owner: string;
  repo: string;
  /** The commit the blobs belong to (the archive fallback downloads it). */
  commit: string;
  /**
   * Blob text bytes per GraphQL query. GitHub answers "Something went wrong while executing your
   * query" to queries returning ~100 KB of blob text (see test/helpers/github-server/limits.ts);
   * 48 KiB stays well below, and a refused batch is split anyway. Default 49,152.
   */
  textBudget?: number;
  /** Blobs per GraphQL query. Default 100. */
  maxPerQuery?: number;
  /**
   * When more GraphQL queries than this would be needed, read the commit's archive instead (one
   * download, whatever the number of files: a cold start, a very large push). Default 1: the
   * files of a push that fit in one query (48 KiB) cost one query, anything more one download,
   * so the requests per event do not grow with the number of files.
   */
  archiveAbove?: number;
  /**
   * Blobs read one by one through REST (what GraphQL cannot give exactly) before giving up with
   * a GitHubError: so a pull request of many binary files costs a bounded number of requests.
   * Default 50.
   */
  maxExactReads?: number;
  /** GraphQL queries in flight at once. Default 3. */
  concurrency?: number;
  /** Notes fallbacks (archive unusable, a batch split). */
  warn?: (fields: object, message: string) => void;
}

/** What fetching cost, for the log and the rate budget. */
export interface FetchCounts {
  archive: number;
  graphql: number;
  rest: number;
}

/**
 * The bytes of `wanted` blobs, checked against their SHAs: every blob's bytes must hash to the
 * SHA its tree names (`blob <size>\0<bytes>`), or it is read again byte for byte through the
 * REST blob endpoint; a blob that cannot be read exactly is a GitHubError (fail closed), never a
 * missing file. Reads: the commit's archive when many blobs are wanted (a cold start; files the
 * archive rewrites through `.gitattributes` export-subst or leaves out through export-ignore fail
 * the check and are fetched one by one), then GraphQL queries of many blobs each within a text
 * budget, then REST for what GraphQL cannot give as UTF-8 text (binary, other encodings, large).
 * @example const bytes = await fetchBlobs(octokit, [{ sha, size, path }], { owner, repo, commit })
 */
export async function fetchBlobs(
  octokit: GitHubClient,
  wanted: readonly WantedBlob[],
  options: FetchBlobsOptions,
  counts: FetchCounts = { archive: 0, graphql: 0, rest: 0 },
): Promise<Map<string, Uint8Array>> {
  const unique = [...new Map(wanted.map((w) => [w.sha, w])).values()];
  const found = new Map<string, Uint8Array>();
  if (unique.length === 0) return found;
  const budget = options.textBudget ?? 48 * 1024;
  const maxPerQuery = options.maxPerQuery ?? 100;
  if (packBatches(unique, budget, maxPerQuery).length > (options.archiveAbove ?? 1)) {
    counts.archive++;
    try {
      const archived = await readArchiveBlobs(octokit, { ...options, shas: new Set(unique.map((w) => w.sha)) });
      for (const [sha, bytes] of archived) if (gitBlobSha(bytes) === sha) found.set(sha, bytes);
    } catch (error) {
      // The archive only saves requests: without it every blob is still read below.
      options.warn?.(
        { err: error, commit: options.commit },
        'repository archive unusable; reading blobs one batch at a time',
      );
    }
  }
  const rest: WantedBlob[] = [];
  const queued: WantedBlob[] = [];
  for (const w of unique) if (!found.has(w.sha)) (w.size > budget ? rest : queued).push(w);
  const batches = packBatches(queued, budget, maxPerQuery);
  await runPool(batches, options.concurrency ?? 3, async (batch) => {
    for (const missed of await readGraphqlBatch(octokit, batch, options, found, counts)) rest.push(missed);
  });
  const maxExact = options.maxExactReads ?? 50;
  if (rest.length > maxExact)
    throw new GitHubError(
      `${rest.length} files of ${options.owner}/${options.repo} at ${options.commit} are not UTF-8 text or are too large to read in batches (${rest
        .slice(0, 3)
        .map((w) => w.path)
        .join(', ')}, ...); at most ${maxExact} are read one by one`,
    );
  for (const w of rest) found.set(w.sha, await readRestBlob(octokit, w, options, counts));
  return found;
}

/** The SHA git gives a blob of these bytes. */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

/** Consecutive blobs (smallest first) into batches of at most `budget` bytes and `max` blobs. */
function packBatches(blobs: WantedBlob[], budget: number, max: number): WantedBlob[][] {
  const batches: WantedBlob[][] = [];
  let current: WantedBlob[] = [];
  let bytes = 0;
  for (const w of [...blobs].sort((a, b) => a.size - b.size)) {
    if (current.length > 0 && (bytes + w.size > budget || current.length >= max)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(w);
    bytes += w.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

interface GqlBlob {
  text?: string | null;
  isBinary?: boolean | null;
}

/**
 * One GraphQL query for a batch; puts the exact blobs in `found` and returns those GraphQL
 * could not give exactly. A query GitHub cannot execute (5xx, "Something went wrong") is split
 * in two and each half asked again: the real text limit is undocumented.
 */
async function readGraphqlBatch(
  octokit: GitHubClient,
  batch: WantedBlob[],
  options: FetchBlobsOptions,
  found: Map<string, Uint8Array>,
  counts: FetchCounts,
): Promise<WantedBlob[]> {
  const vars: Record<string, string> = { owner: options.owner, repo: options.repo };
  const fields = batch.map((w, i) => {
    vars[`o${i}`] = w.sha;
    return `b${i}: object(oid: $o${i}) { ... on Blob { text isBinary } }`;
  });
  const declared = batch.map((_, i) => `$o${i}: GitObjectID!`).join(', ');
  const query = `query aacBlobs($owner: String!, $repo: String!, ${declared}) { repository(owner: $owner, name: $repo) { ${fields.join(' ')} } }`;
  let data: { repository: Record<string, GqlBlob | null> | null };
  counts.graphql++;
  try {
    data = await octokit.graphql(query, vars);
  } catch (error) {
    const status = statusOf(error);
    if (batch.length > 1 && (status === undefined || status >= 500)) {
      options.warn?.({ blobs: batch.length, status }, 'GitHub could not serve a batch of blobs; splitting it');
      const half = Math.ceil(batch.length / 2);
      return [
        ...(await readGraphqlBatch(octokit, batch.slice(0, half), options, found, counts)),
        ...(await readGraphqlBatch(octokit, batch.slice(half), options, found, counts)),
      ];
    }
    if (batch.length === 1 && (status === undefined || status >= 500)) return batch;
    throw gitHubError(`cannot read ${batch.length} files of ${options.owner}/${options.repo}`, error);
  }
  if (!data.repository) throw new GitHubError(`repository ${options.owner}/${options.repo} not found`);
  const missed: WantedBlob[] = [];
  batch.forEach((w, i) => {
    const blob = data.repository![`b${i}`];
    if (blob === null || blob === undefined)
      throw new GitHubError(`${w.path} (blob ${w.sha}) is not in ${options.owner}/${options.repo}`);
    const bytes = typeof blob.text === 'string' && !blob.isBinary ? new TextEncoder().encode(blob.text) : undefined;
    // Text that does not hash to the SHA was decoded or re-encoded by GitHub: read the bytes instead.
    if (bytes && gitBlobSha(bytes) === w.sha) found.set(w.sha, bytes);
    else missed.push(w);
  });
  return missed;
}

async function readRestBlob(
  octokit: GitHubClient,
  w: WantedBlob,
  options: FetchBlobsOptions,
  counts: FetchCounts,
): Promise<Uint8Array> {
  counts.rest++;
  let content: string;
  try {
    const { data } = await octokit.rest.git.getBlob({ owner: options.owner, repo: options.repo, file_sha: w.sha });
    if (data.encoding !== 'base64') throw new Error(`unexpected encoding ${data.encoding}`);
    content = data.content;
  } catch (error) {
    throw gitHubError(`cannot read ${w.path} (blob ${w.sha}) of ${options.owner}/${options.repo}`, error);
  }
  const bytes = new Uint8Array(Buffer.from(content, 'base64'));
  if (gitBlobSha(bytes) !== w.sha)
    throw new GitHubError(`GitHub answered other bytes than blob ${w.sha} for ${w.path}; refusing to judge them`);
  return bytes;
}

/** Runs `work` over `items`, at most `limit` at a time; the first failure fails the whole. */
async function runPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
