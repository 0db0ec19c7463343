import { compareTimes } from './compare-times.js';
import { pullRequestOf } from './parse-git-log.js';
import type { HistoryCommit } from './parse-git-log.js';

/** A change that landed on `main`: a pull request's merge (with its branch commits), a squash merge, or a direct commit. */
export interface LandedChange {
  /** Pull request number (the request id); undefined for a direct commit. */
  id: number | undefined;
  /** The commit on main's first-parent line. */
  landing: HistoryCommit;
  /** For merges: the pull request's own commits, oldest first. */
  branch: HistoryCommit[];
  /** 0 for the tip of main, growing towards the past, along the first-parent line. */
  position: number;
}

const ON_LINE = 1;
const CLAIMED = 2;

/**
 * Groups history into landed changes along main's first-parent line. `commits` are as
 * `git log` printed them (tip first). Each side commit belongs to the earliest merge that
 * brought it in. Linear in the number of commits; commits are tracked by index, so each
 * SHA is hashed once (this runs over every commit of main on each report).
 */
export function groupRequests(commits: readonly HistoryCommit[]): LandedChange[] {
  const index = new Map<string, number>();
  for (let i = 0; i < commits.length; i++) index.set(commits[i]!.sha, i);
  const state = new Uint8Array(commits.length);
  const line: number[] = [];
  for (let i: number | undefined = commits.length > 0 ? 0 : undefined; i !== undefined && state[i] === 0;) {
    line.push(i);
    state[i] = ON_LINE;
    const parent = commits[i]!.parents[0];
    i = parent === undefined ? undefined : index.get(parent);
  }
  const changes: LandedChange[] = new Array(line.length);
  const queue: string[] = [];
  for (let k = line.length - 1; k >= 0; k--) {
    const landing = commits[line[k]!]!;
    const branch: HistoryCommit[] = [];
    for (let p = 1; p < landing.parents.length; p++) queue.push(landing.parents[p]!);
    while (queue.length > 0) {
      const i = index.get(queue.pop()!);
      if (i === undefined || state[i] !== 0) continue;
      state[i] = CLAIMED;
      const c = commits[i]!;
      branch.push(c);
      for (const parent of c.parents) queue.push(parent);
    }
    if (branch.length > 1) branch.sort((a, b) => compareTimes(a.author.time, b.author.time));
    changes[k] = {
      id: pullRequestOf(landing.subject),
      landing,
      branch,
      position: k,
    };
  }
  return changes;
}
