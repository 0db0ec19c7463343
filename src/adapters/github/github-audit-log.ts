import type { AuditEvent, AuditLog, AuditRecord } from '../../core/audit/audit-event.js';
import { isMonthFile, parseAuditFiles, sortAuditFiles } from '../../core/audit/audit-files.js';
import type { AuditFile } from '../../core/audit/audit-files.js';
import { computeAppendFor, refuseSecrets } from '../audit/append-audit-events.js';
import { AuditLogError } from '../../errors.js';
import { statusOf } from './github-error.js';

/**
 * The one Octokit method used: `request`. Both `@octokit/rest` and Probot's `context.octokit`
 * have it, so either can be passed without coupling to their plugin versions.
 */
export interface GitHubRequester {
  request: (route: string, parameters?: Record<string, unknown>) => Promise<{ data: unknown }>;
}

export interface GitHubAuditLogOptions {
  octokit: GitHubRequester;
  owner: string;
  repo: string;
  /** The branch holding the log; default `access-audit`. */
  branch?: string;
  /** Attempts before giving up when other writers keep moving the branch; default 20. */
  maxAttempts?: number;
}

interface Head {
  commit: string;
  tree: string;
}

/**
 * The audit log on a branch of a GitHub repository, written through the git data API: blob,
 * tree and commit are created, then the ref is moved with `force: false`, so a ref that moved
 * meanwhile (another writer) fails with 422 and the append is rebuilt on the new head.
 * Commits created this way by a GitHub App are signed by GitHub ("Verified").
 *
 * @example
 * const log = createGitHubAuditLog({ octokit: context.octokit, owner: 'example', repo: 'access' });
 */
export function createGitHubAuditLog(options: GitHubAuditLogOptions): AuditLog {
  const { octokit, owner, repo } = options;
  const branch = options.branch ?? 'access-audit';
  const maxAttempts = options.maxAttempts ?? 20;

  async function head(): Promise<Head | undefined> {
    try {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
        owner,
        repo,
        ref: `heads/${branch}`,
      });
      const commit = (data as { object: { sha: string } }).object.sha;
      const { data: c } = await octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
        owner,
        repo,
        commit_sha: commit,
      });
      return { commit, tree: (c as { tree: { sha: string } }).tree.sha };
    } catch (error) {
      // 404: no such branch yet; 409: the repository is empty.
      if (statusOf(error) === 404 || statusOf(error) === 409) return undefined;
      throw error;
    }
  }

  /** The month files at `at`, sorted, with their blob SHAs (no content read). */
  async function listMonths(at: Head | undefined): Promise<Array<{ path: string; sha: string }>> {
    if (!at) return [];
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      owner,
      repo,
      tree_sha: at.tree,
      recursive: '1',
    });
    const tree = data as { tree: Array<{ path: string; type: string; sha: string }>; truncated?: boolean };
    if (tree.truncated) throw new AuditLogError(`the tree of ${branch} is too large to list`);
    return sortAuditFiles(tree.tree.filter((e) => e.type === 'blob' && isMonthFile(e.path)));
  }

  async function readMonths(months: ReadonlyArray<{ path: string; sha: string }>): Promise<AuditFile[]> {
    return Promise.all(
      months.map(async (e) => {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
          owner,
          repo,
          file_sha: e.sha,
        });
        const blob = data as { content: string; encoding: string };
        return {
          path: e.path,
          text: Buffer.from(blob.content, blob.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8'),
        };
      }),
    );
  }

  function parse(files: AuditFile[]): AuditRecord[] {
    const { records, unreadable } = parseAuditFiles(files);
    if (unreadable.length > 0) {
      const u = unreadable[0]!;
      throw new AuditLogError(
        `the audit log on ${branch} is damaged (${u.file}:${u.line}: ${u.message}); run \`aac audit verify\``,
      );
    }
    return records;
  }

  async function tryAppend(events: readonly AuditEvent[]): Promise<AuditRecord[] | undefined> {
    const at = await head();
    // Only the newest month is needed to continue the chain: one blob read, whatever the log's age.
    const months = await listMonths(at);
    const newestFiles = await readMonths(months.slice(-1));
    const { files, records: added } = computeAppendFor(branch, newestFiles.at(-1), events);
    const tree = [];
    for (const file of files) {
      const { data: blob } = await octokit.request('POST /repos/{owner}/{repo}/git/blobs', {
        owner,
        repo,
        content: file.text,
        encoding: 'utf-8',
      });
      tree.push({ path: file.path, mode: '100644', type: 'blob', sha: (blob as { sha: string }).sha });
    }
    const { data: newTree } = await octokit.request('POST /repos/{owner}/{repo}/git/trees', {
      owner,
      repo,
      tree,
      ...(at ? { base_tree: at.tree } : {}),
    });
    const first = added[0]!;
    const last = added[added.length - 1]!;
    const message = `audit: ${added.length === 1 ? `record ${first.seq}` : `records ${first.seq}-${last.seq}`} (${[...new Set(added.map((r) => r.type))].join(', ')})`;
    const { data: commit } = await octokit.request('POST /repos/{owner}/{repo}/git/commits', {
      owner,
      repo,
      message,
      tree: (newTree as { sha: string }).sha,
      parents: at ? [at.commit] : [],
    });
    const sha = (commit as { sha: string }).sha;
    try {
      if (at)
        await octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
          owner,
          repo,
          ref: `heads/${branch}`,
          sha,
          force: false,
        });
      else
        await octokit.request('POST /repos/{owner}/{repo}/git/refs', { owner, repo, ref: `refs/heads/${branch}`, sha });
    } catch (error) {
      // 422: not a fast-forward (someone appended first) or the branch was created meanwhile.
      if (statusOf(error) === 422) return undefined;
      throw error;
    }
    return added;
  }

  return {
    async append(events) {
      if (events.length === 0) return [];
      refuseSecrets(events); // before any request or git object, so nothing of a refused batch is written anywhere
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const added = await tryAppend(events);
        if (added) return added;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * Math.min(attempt, 10)));
      }
      throw new AuditLogError(
        `could not append to ${branch} of ${owner}/${repo}: it kept moving (${maxAttempts} attempts)`,
      );
    },
    async read() {
      return parse(await readMonths(await listMonths(await head())));
    },
  };
}
