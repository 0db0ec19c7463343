import type { Context, Probot } from 'probot';
import type { GitHubClient } from '../../adapters/github/approval-octokit.js';
import { readPullRequest, readPullRequestsOfCommit } from '../../adapters/github/read-pull-request.js';
import type { PullRequestPayload } from './approval-app.js';

type RerunContext = Context<'check_run' | 'check_suite'>;

/** Evaluates one pull request again (in the app's per-pull-request queue). */
export type Rerun = (context: RerunContext, payload: PullRequestPayload) => Promise<void>;

/**
 * The Re-run buttons of the app's check: `check_run.rerequested` (re-run one check) and
 * `check_suite.rerequested` (re-run all checks of the suite). GitHub sends these only to the app
 * that created the check run or suite, so every one is about our check; a check run of another
 * name is ignored all the same. Each open pull request whose head is still the commit is judged
 * again as it is now, read through the API: the payload's list of pull requests carries no
 * author, draft flag or base branch, and it is empty for pull requests from forks, so the
 * commit's pull requests are looked up then.
 */
export function registerRerunHandlers(app: Probot, checkName: string, rerun: Rerun): void {
  app.on('check_run.rerequested', async (context) => {
    const run = context.payload.check_run;
    if (run.name !== checkName) return;
    await rerunFor(context, run.head_sha, run.pull_requests, rerun);
  });
  app.on('check_suite.rerequested', async (context) => {
    const suite = context.payload.check_suite;
    if (suite.head_sha === null) return;
    await rerunFor(context, suite.head_sha, suite.pull_requests, rerun);
  });
}

async function rerunFor(
  context: RerunContext,
  headSha: string,
  listed: ReadonlyArray<{ number: number }>,
  rerun: Rerun,
): Promise<void> {
  const octokit = context.octokit as unknown as GitHubClient;
  const where = { owner: context.payload.repository.owner.login, repo: context.payload.repository.name };
  const numbers =
    listed.length > 0
      ? listed.map((p) => p.number)
      : (await readPullRequestsOfCommit(octokit, { ...where, sha: headSha })).map((p) => p.number);
  let judged = 0;
  for (const number of [...new Set(numbers)]) {
    const pull = await readPullRequest(octokit, { ...where, pull: number });
    // A newer head has its own check; an old commit's verdict is what GitHub shows for that commit only.
    if (pull.state !== 'open' || pull.head.sha !== headSha) continue;
    await rerun(context, { repository: context.payload.repository, pull_request: pull });
    judged++;
  }
  if (judged === 0)
    context.log.info({ headSha }, 're-run requested for a commit that is not the head of an open pull request');
}
