import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { PullRequestSide } from '../../src/core/policy/evaluate-pull-request.js';
import { CODEOWNERS_PATHS } from '../../src/core/policy/governed-paths.js';
import type { Review } from '../../src/core/policy/compute-approvals.js';
import { evaluatePullRequest } from '../../src/core/policy/evaluate-pull-request.js';
import type { Evaluation, EvaluatedChange } from '../../src/core/policy/evaluate-pull-request.js';
import type { TeamMembers } from '../../src/core/policy/team-members.js';
import { NOW, REPO_ROOT, sampleFiles, schemaChecker } from './sample-tree.js';

export const HEAD_SHA = 'c0ffee0000000000000000000000000000000001';
export const OLD_SHA = 'c0ffee0000000000000000000000000000000000';

/** Team membership of the sample organisation, as the app would read it from GitHub. */
export const SAMPLE_TEAMS: Record<string, string[]> = {
  'example/it-security': ['alee-sec', 'ivan-sec'],
  'example/access-approvers': ['sroberts-iam'],
  'example/security-leads': ['kpatel-ciso', 'lena-lead'],
  'example/sales-ops': ['sops-lead'],
  'example/platform': ['tnguyen-ops'],
  'example/it-ops': ['cgarcia-it'],
  'example/finance-systems': ['swhite-fin'],
};

/**
 * People of the sample's teams who have no person file in the sample (a second security reviewer,
 * a second security lead, the sales-ops owners). Approvers are people: a team member counts only
 * with an active person file, so the scenarios' base adds theirs.
 */
export const TEAM_PEOPLE: Record<string, string> = Object.fromEntries(
  [
    ['ivan', 'Ivan Petrov', 'security', 'kpatel', 'ivan-sec'],
    ['lena', 'Lena Ortiz', 'security', 'kpatel', 'lena-lead'],
    ['sops', 'Sam Ops', 'sales', 'dwilliams', 'sops-lead'],
    ['sops2', 'Sasha Ops', 'sales', 'dwilliams', 'sops-two'],
  ].map(([uid, name, department, manager, github]) => [
    `access/people/${uid}.yaml`,
    `kind: Person\nuid: ${uid}\nname: ${name}\nemail: ${uid}@example.org\ntype: employee\ndepartment: ${department}\nmanager: ${manager}\ngithub: ${github}\nstatus: active\n`,
  ]),
);

/**
 * Files of this repository outside the access folder, by path: what an access repository holds
 * beside `access/` (CODEOWNERS, workflows, schemas, templates, the package files, the README).
 */
export function sampleRepository(): Record<string, string> {
  const files: Record<string, string> = {};
  const add = (path: string): void => void (files[path] = readFileSync(`${REPO_ROOT}${path}`, 'utf8'));
  add('.github/CODEOWNERS');
  for (const dir of ['.github/workflows', 'schemas', 'templates'])
    for (const entry of readdirSync(`${REPO_ROOT}${dir}`, { recursive: true, withFileTypes: true }))
      if (entry.isFile()) add(`${entry.parentPath.slice(REPO_ROOT.length)}/${entry.name}`);
  for (const path of ['package.json', 'package-lock.json', 'README.md', 'app.yml']) add(path);
  return files;
}

/** Git's blob id of `text` (what the trees API and `git ls-tree` report). */
export function blobId(text: string): string {
  const body = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

/** One side of a pull request from its access files and its other repository files, as the adapters read it. */
export function sideOf(access: Record<string, string>, repository: Record<string, string>): PullRequestSide {
  const all = { ...repository, ...access };
  const codeowners = CODEOWNERS_PATHS.find((p) => repository[p] !== undefined);
  return {
    files: toInput(access),
    blobs: new Map(Object.entries(all).map(([path, text]) => [path, `100644 ${blobId(text)}`])),
    ...(codeowners === undefined ? {} : { codeowners: { path: codeowners, text: repository[codeowners]! } }),
  };
}

/** A review of the head commit (or of `commit`), `minutes` after 10:00 on the test day. */
export function review(login: string, state = 'APPROVED', options: { commit?: string; minutes?: number } = {}): Review {
  const at = new Date(Date.parse('2026-11-22T10:00:00Z') + (options.minutes ?? 0) * 60_000).toISOString();
  return { user: { login }, state, commit_id: options.commit ?? HEAD_SHA, submitted_at: at };
}

export interface Scenario {
  /** Files changed in base relative to the sample (`null` removes). */
  base?: Record<string, string | null>;
  /** Files changed in head relative to base. */
  head?: Record<string, string | null>;
  /** Repository files outside the access folder changed in base relative to `sampleRepository()` (`null` removes). */
  baseRepo?: Record<string, string | null>;
  /** Repository files outside the access folder changed in head relative to base. */
  headRepo?: Record<string, string | null>;
  reviews?: Review[];
  author?: string;
  teams?: TeamMembers;
  now?: number;
}

/** Evaluates a pull request built from the real sample: base = sample + `base`, head = base + `head`. */
export function evaluateScenario(scenario: Scenario): Evaluation {
  const base = applyChanges({ ...sampleFiles(), ...TEAM_PEOPLE }, scenario.base ?? {});
  const head = applyChanges(base, scenario.head ?? {});
  const baseRepo = applyChanges(sampleRepository(), scenario.baseRepo ?? {});
  const headRepo = applyChanges(baseRepo, scenario.headRepo ?? {});
  return evaluatePullRequest({
    root: 'access',
    base: sideOf(base, baseRepo),
    head: sideOf(head, headRepo),
    headSha: HEAD_SHA,
    author: scenario.author ?? 'jsmith-ex',
    reviews: scenario.reviews ?? [],
    teams: scenario.teams ?? SAMPLE_TEAMS,
    checkSchema: schemaChecker(),
    now: scenario.now ?? NOW,
  });
}

/** The sample file with `text` appended (new grants go at the end of a person file). */
export function appended(path: string, text: string): Record<string, string> {
  return { [path]: `${sampleFiles()[path]!.replace(/\n?$/, '\n')}${text}` };
}

/** The sample file with `from` replaced by `to` (throws when `from` is absent, so tests stay honest). */
export function edited(
  path: string,
  from: string,
  to: string,
  files: Record<string, string> = sampleFiles(),
): Record<string, string> {
  const text = files[path];
  if (text === undefined || !text.includes(from)) throw new Error(`"${from}" not in ${path}`);
  return { [path]: text.replace(from, to) };
}

/** A grant entry in the sample's list style. */
export function grant(system: string, role: string, extra: Record<string, string | boolean> = {}): string {
  const lines = [
    `  - system: ${system}`,
    `    role: ${role}`,
    ...Object.entries({ justification: 'Needed for the quarterly project.', ...extra }).map(
      ([k, v]) => `    ${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Compact view of a change for assertions: kind, subject, tier, blocked, and per level who satisfied it. */
export function summary(change: EvaluatedChange): {
  kind: string;
  subject: string;
  tier: string;
  blocked: string[];
  levels: Record<string, string | null>;
} {
  return {
    kind: change.kind,
    subject: change.subject,
    tier: change.tier,
    blocked: change.blocked,
    levels: Object.fromEntries(change.levels.map((l) => [l.level, l.satisfiedBy])),
  };
}

/** `files` with `changes` applied: a text replaces or adds a file, `null` removes it. */
export function applyChanges(
  files: Record<string, string>,
  changes: Record<string, string | null>,
): Record<string, string> {
  const out = { ...files };
  for (const [path, text] of Object.entries(changes)) {
    if (text === null) delete out[path];
    else out[path] = text;
  }
  return out;
}

function toInput(files: Record<string, string>): Array<{ path: string; content: string }> {
  return Object.entries(files).map(([path, content]) => ({ path, content }));
}
