import { GitStore } from './git-store.js';
import type { GitHubLimits } from './limits.js';

export interface ReviewState {
  id: number;
  user: { login: string; type: 'User' };
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  commit_id: string;
  submitted_at: string;
  body: string;
}

export interface PullRequestState {
  number: number;
  title: string;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  user: { login: string };
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  requestedReviewers: string[];
  requestedTeams: string[];
  reviews: ReviewState[];
}

export interface CommentState {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

export interface CheckRunState {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title: string; summary: string; annotations: unknown[] };
  /** Order of creation, for "the latest check run of this name on this commit". */
  seq: number;
}

/** One request as the server saw it. `route` is the pattern matched, e.g. `GET /repos/{o}/{r}/git/trees/{sha}`. */
export interface CallRecord {
  method: string;
  route: string;
  path: string;
  status: number;
  /** Which limit refused it, if one did. */
  limited?: 'secondary' | 'primary';
}

/** Everything the test GitHub knows about its one repository. Tests read and change it directly. */
export class RepositoryState {
  readonly store = new GitStore();
  readonly pulls = new Map<number, PullRequestState>();
  readonly comments: CommentState[] = [];
  readonly checkRuns: CheckRunState[] = [];
  readonly teams = new Map<string, string[]>();
  readonly calls: CallRecord[] = [];
  #ids = 1000;

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly defaultBranch: string,
    readonly limits: GitHubLimits,
    /** The app's bot login, the author of its comments. */
    readonly botLogin: string,
  ) {}

  nextId(): number {
    return ++this.#ids;
  }

  /** The newest check run called `name` on `sha`, as GitHub shows it on the pull request. */
  latestCheckRun(sha: string, name = 'access-approvals'): CheckRunState | undefined {
    return this.checkRuns.filter((c) => c.head_sha === sha && c.name === name).sort((a, b) => b.seq - a.seq)[0];
  }

  /** Calls recorded from `mark` (an index into `calls`) on. */
  callsSince(mark: number): CallRecord[] {
    return this.calls.slice(mark);
  }
}
