import { pullRequestOf, pullRequestSourceOf } from './parse-git-log.js';
import type { HistoryCommit } from './parse-git-log.js';

/** A change that landed on `main`: a pull request's merge (with its branch commits), a squash merge, or a direct commit. */
export interface LandedChange {
  /** Pull request number (the request id); undefined for a direct commit. */
  id: number | undefined;
  /** The commit on main's first-parent line. */
  landing: HistoryCommit;
  /** For merges: the pull request's own commits, oldest first. */
  branch: HistoryCommit[];
  /** Who asked: the GitHub login the merge names, else the author of the first commit. */
  requester: string;
  /** 0 for the tip of main, growing towards the past, along the first-parent line. */
  position: number;
}

/**
 * Groups history into landed changes along main's first-parent line. `commits` are as
 * `git log` printed them (tip first). Each side commit belongs to the earliest merge that
 * brought it in. Linear in the number of commits.
 */
export function groupRequests(commits: readonly HistoryCommit[]): LandedChange[] {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const line: HistoryCommit[] = [];
  const onLine = new Set<string>();
  for (let c = commits[0]; c && !onLine.has(c.sha); c = bySha.get(c.parents[0] ?? '')) {
    line.push(c);
    onLine.add(c.sha);
  }
  const claimed = new Set<string>();
  const changes: LandedChange[] = [];
  for (let i = line.length - 1; i >= 0; i--) {
    const landing = line[i]!;
    const branch: HistoryCommit[] = [];
    const queue = landing.parents.slice(1);
    while (queue.length > 0) {
      const sha = queue.pop()!;
      const c = bySha.get(sha);
      if (!c || onLine.has(sha) || claimed.has(sha)) continue;
      claimed.add(sha);
      branch.push(c);
      queue.push(...c.parents);
    }
    branch.sort((a, b) => (a.author.time < b.author.time ? -1 : a.author.time > b.author.time ? 1 : 0));
    const first = branch[0] ?? landing;
    changes.push({
      id: pullRequestOf(landing.subject),
      landing,
      branch,
      requester: pullRequestSourceOf(landing.subject) ?? `${first.author.name} <${first.author.email}>`,
      position: i,
    });
  }
  return changes.reverse();
}
