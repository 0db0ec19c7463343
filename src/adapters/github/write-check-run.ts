import type { GitHubClient } from './approval-octokit.js';
import { gitHubError } from './github-error.js';

/** A check-run annotation as GitHub takes it (1-based lines). */
export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  title: string;
  message: string;
}

export interface CheckRunOutput {
  owner: string;
  repo: string;
  name: string;
  headSha: string;
  conclusion: 'success' | 'action_required' | 'failure';
  title: string;
  summary: string;
  annotations: readonly Annotation[];
}

/** GitHub accepts at most 50 annotations per request, and a summary of at most 65535 characters. */
export const ANNOTATIONS_PER_REQUEST = 50;
const MAX_SUMMARY = 65_535;

/**
 * Creates a completed check run with the first 50 annotations, then adds the rest 50 at a time
 * (each update appends). Returns the check run id.
 */
export async function writeCheckRun(octokit: GitHubClient, run: CheckRunOutput): Promise<number> {
  const batches: Annotation[][] = [];
  for (let i = 0; i < run.annotations.length; i += ANNOTATIONS_PER_REQUEST)
    batches.push(run.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const summary =
    run.summary.length > MAX_SUMMARY ? `${run.summary.slice(0, MAX_SUMMARY - 20)}\n\n(truncated)` : run.summary;
  const output = (annotations: Annotation[] | undefined) => ({
    title: run.title,
    summary,
    ...(annotations ? { annotations } : {}),
  });
  try {
    const created = await octokit.rest.checks.create({
      owner: run.owner,
      repo: run.repo,
      name: run.name,
      head_sha: run.headSha,
      status: 'completed',
      conclusion: run.conclusion,
      output: output(batches[0]),
    });
    for (const batch of batches.slice(1)) {
      await octokit.rest.checks.update({
        owner: run.owner,
        repo: run.repo,
        check_run_id: created.data.id,
        output: output(batch),
      });
    }
    return created.data.id;
  } catch (error) {
    throw gitHubError(`cannot write the ${run.name} check run`, error);
  }
}
