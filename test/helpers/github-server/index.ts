import { readFileSync } from 'node:fs';
import { generateOrgFiles } from '../../../bench/generate-org.mjs';
import { SAMPLE_TEAMS } from '../pull-request.js';
import { REPO_ROOT, sampleFiles } from '../sample-tree.js';
import { governedFiles } from './pull-requests.js';
import type { RepositoryState } from './state.js';

export { GitStore, hashObject } from './git-store.js';
export type { FileSpec } from './git-store.js';
export { GITHUB_LIMITS, SECONDARY_MESSAGE, SOMETHING_WENT_WRONG } from './limits.js';
export type { GitHubLimits } from './limits.js';
export { addReview, governedFiles, openPull, pullEventPayload, pushToPull } from './pull-requests.js';
export type { PullEventName } from './pull-requests.js';
export { startTestGitHub, TEST_INSTALLATION_TOKEN, TestGitHub } from './server.js';
export type { TestGitHubOptions } from './server.js';
export type { CallRecord, PullRequestState, RepositoryState } from './state.js';

/** Members of the teams the generated organisation's policy names (gh-<uid> logins). */
export const ORG_TEAMS: Record<string, string[]> = {
  'example/it-security': ['gh-user00002', 'gh-user00003'],
  'example/access-approvers': ['gh-user00004'],
};

/**
 * Commits the generated organisation (bench/generate-org.mjs: `people` people, 5 grants each)
 * with the schemas and a CODEOWNERS to the default branch, sets its teams, and returns the files
 * and the commit. `changeExpiries(files, n)` gives a head with n people's grants extended.
 */
export function seedOrganisation(
  state: RepositoryState,
  options: { people?: number; systems?: number } = {},
): { files: Map<string, string>; sha: string } {
  const org = generateOrgFiles({ people: options.people ?? 10_000, systems: options.systems ?? 200 });
  const files = new Map([...org.files, ...governedFiles()]);
  const sha = state.store.commitFiles(files, { branch: state.defaultBranch, message: 'organisation' });
  for (const [team, members] of Object.entries(ORG_TEAMS)) state.teams.set(team, members);
  return { files, sha };
}

/** The files with `count` people (spread over the tree) given a later expiry on one grant: `count` grant-extended changes. */
export function changeExpiries(files: ReadonlyMap<string, string>, count: number, offset = 0): Map<string, string> {
  const people = [...files.keys()].filter((p) => p.startsWith('access/people/')).sort();
  const step = Math.max(1, Math.floor(people.length / Math.max(1, count)));
  const next = new Map(files);
  for (let i = 0; i < count; i++) {
    const path = people[(i * step + offset) % people.length]!;
    next.set(path, files.get(path)!.replace('expires: "2027-06-30"', 'expires: "2027-09-30"'));
  }
  return next;
}

/** Commits the bundled sample organisation (with this repository's CODEOWNERS and schemas) and its teams. */
export function seedSample(state: RepositoryState): { files: Map<string, string>; sha: string } {
  const codeowners = readFileSync(`${REPO_ROOT}.github/CODEOWNERS`, 'utf8');
  const files = new Map([...Object.entries(sampleFiles()), ...governedFiles(codeowners)]);
  const sha = state.store.commitFiles(files, { branch: state.defaultBranch, message: 'sample' });
  for (const [team, members] of Object.entries(SAMPLE_TEAMS)) state.teams.set(team, members);
  return { files, sha };
}
