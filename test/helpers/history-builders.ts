import type { HistoryCommit } from '../../src/core/audit/parse-git-log.js';

/** A history commit with sensible defaults; `time` fills author and committer time. */
export function commit(
  sha: string,
  fields: Partial<Omit<HistoryCommit, 'sha'>> & { time?: string } = {},
): HistoryCommit {
  const time = fields.time ?? '2026-11-01T00:00:00Z';
  return {
    sha,
    parents: fields.parents ?? [],
    author: fields.author ?? { name: 'Author', email: 'author@example.org', time },
    committer: fields.committer ?? { name: 'Author', email: 'author@example.org', time },
    signature: fields.signature ?? { status: 'G', key: 'SHA256:key', signer: 'author@example.org' },
    subject: fields.subject ?? `commit ${sha}`,
    files: fields.files ?? [],
  };
}

export const GITHUB = { name: 'GitHub', email: 'noreply@github.com' };
