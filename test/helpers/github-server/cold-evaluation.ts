import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../run-cli.js';
import type { PullRequestState, RepositoryState } from './state.js';

export interface ColdVerdict {
  /** The check-run conclusion the evaluation means. */
  conclusion: 'success' | 'action_required' | 'failure';
  /** `aac evaluate --format markdown`: the pull-request comment. */
  markdown: string;
}

/**
 * Judges a pull request of the test GitHub from scratch, through a different path than the app:
 * the repository's objects written to a real git repository at `dir` (same SHAs; call
 * `state.store.exportTo(dir, {})` once, after the last change) and `aac evaluate` run on it,
 * with the pull request's reviews and the teams as files.
 */
export async function coldEvaluation(
  state: RepositoryState,
  pull: PullRequestState,
  dir: string,
  now: string,
): Promise<ColdVerdict> {
  const reviews = join(dir, `.git/reviews-${pull.number}.json`);
  const teams = join(dir, '.git/teams.json');
  writeFileSync(reviews, JSON.stringify(pull.reviews));
  writeFileSync(teams, JSON.stringify(Object.fromEntries(state.teams)));
  const args = [
    'evaluate',
    ...['--base', pull.base.sha, '--head', pull.head.sha, '--author', pull.user.login],
    ...['--reviews', reviews, '--teams', teams, '--now', now],
  ];
  const json = await runCli([...args, '--format', 'json'], { cwd: dir });
  const markdown = await runCli([...args, '--format', 'markdown'], { cwd: dir });
  if (json.code === 2 || markdown.code === 2) throw new Error(`aac evaluate failed: ${json.stderr}${markdown.stderr}`);
  const result = JSON.parse(json.stdout) as { status: 'approved' | 'missing' | 'rejected' | 'blocked' };
  // The same mapping as the app's check run: rejected and blocked fail, missing waits.
  const conclusion =
    result.status === 'approved' ? 'success' : result.status === 'missing' ? 'action_required' : 'failure';
  return { conclusion, markdown: markdown.stdout };
}
