import { describe, expect, it } from 'vitest';
import { generateOrgFiles } from '../../bench/generate-org.mjs';
import { evaluatePullRequest } from '../../src/core/policy/evaluate-pull-request.js';
import type { Evaluation } from '../../src/core/policy/evaluate-pull-request.js';
import { HEAD_SHA, review, SAMPLE_TEAMS, sampleRepository, sideOf } from '../helpers/pull-request.js';
import { NOW, sampleFiles, schemaChecker } from '../helpers/sample-tree.js';

// Every active person's standard, elevated and privileged requests can be completed by distinct
// people under the sample policy (and under the generated organisation's): for each person and
// each tier, a pull request giving them a role of that tier, opened by themselves, is approved by
// the approvers the gate names, each filling one level, none of them the requester.
const ALL_ATTESTATIONS =
  'attestations:\n  mfa: true\n  deviceCompliance: true\n  deviceEncryption: true\n  vpn: true\n  hardwareKey: true\n  managerAttestation: "2026-01-01"\n  backgroundCheck: "2026-01-01"\n  training: "2026-01-01"\n  nda: "2026-01-01"\n';

interface Person {
  path: string;
  uid: string;
  login: string | undefined;
  external: boolean;
  active: boolean;
}

function peopleOf(files: Record<string, string>): Person[] {
  return Object.entries(files)
    .filter(([path]) => path.startsWith('access/people/'))
    .map(([path, text]) => ({
      path,
      uid: /^uid: (.*)$/m.exec(text)![1]!,
      login: /^github: (.*)$/m.exec(text)?.[1],
      external: /^type: external$/m.test(text),
      active: !/^status: (disabled|deleted)$/m.test(text),
    }));
}

/** Every person's attestations made complete (a prerequisite of privileged roles, not an approval). */
function withAttestations(files: Record<string, string>): Record<string, string> {
  const out = { ...files };
  for (const person of peopleOf(files))
    out[person.path] = files[person.path]!.replace(/^attestations:\n(?: {2}.*\n)*/m, '').replace(
      /^grants:/m,
      `${ALL_ATTESTATIONS}grants:`,
    );
  return out;
}

function requestFor(
  base: Record<string, string>,
  repository: Record<string, string>,
  person: Person,
  grant: string,
  logins: string[],
  teams: Record<string, string[]>,
): Evaluation {
  const text = base[person.path]!;
  const head = {
    ...base,
    [person.path]: text.includes('grants:\n')
      ? text.replace('grants:\n', `grants:\n${grant}`)
      : `${text}grants:\n${grant}`,
  };
  return evaluatePullRequest({
    root: 'access',
    base: sideOf(base, repository),
    head: sideOf(head, repository),
    headSha: HEAD_SHA,
    ...(person.login ? { author: person.login } : {}),
    reviews: logins.map((login) => review(login)),
    teams,
    checkSchema: schemaChecker(),
    now: NOW,
  });
}

function expectCompleted(evaluation: Evaluation, person: Person, tier: string): void {
  const label = `${person.uid} ${tier}`;
  expect(
    evaluation.diagnostics.filter((d) => d.severity === 'error'),
    label,
  ).toEqual([]);
  const change = evaluation.changes.find((c) => c.kind === 'grant-added')!;
  expect(change.tier, label).toBe(tier);
  const approvers = change.levels.map((l) => l.satisfiedBy);
  expect(
    approvers.every((a) => a !== null),
    `${label}: ${JSON.stringify(change.levels)}`,
  ).toBe(true);
  expect(new Set(approvers).size, label).toBe(approvers.length);
  expect(approvers, label).not.toContain(person.login?.toLowerCase());
  expect(evaluation.status, label).toBe('approved');
}

const grant = (system: string, role: string, external: boolean): string =>
  `  - system: ${system}\n    role: ${role}\n    justification: Needed for the work of this quarter.\n${external ? '    expires: "2027-06-30"\n' : ''}`;

describe('every active person x every tier can be completed by distinct people', () => {
  describe('the sample organisation', () => {
    const base = withAttestations(sampleFiles());
    const repository = sampleRepository();
    const people = peopleOf(base).filter((p) => p.active);
    const logins = people.flatMap((p) => (p.login ? [p.login] : []));
    const roles: Record<string, [string, string]> = {
      standard: ['email', 'shared-mailbox-admin'],
      elevated: ['financial', 'viewer'],
      privileged: ['crm', 'admin'],
    };
    for (const person of people.filter((p) => !p.external))
      for (const [tier, [system, role]] of Object.entries(roles))
        it(`${person.uid} x ${tier}`, () =>
          expectCompleted(
            requestFor(base, repository, person, grant(system, role, false), logins, SAMPLE_TEAMS),
            person,
            tier,
          ));

    // External people may hold only external profiles, never privileged ones: their requests are
    // the standard tier, approved by their sponsor and the access approver (seed story 003).
    for (const person of people.filter((p) => p.external))
      it(`${person.uid} (external) x standard, with the sponsor and the access approver`, () => {
        const role: [string, string] = base[person.path]!.includes('role: partner')
          ? ['project-tools', 'guest']
          : ['crm', 'partner'];
        const evaluation = requestFor(base, repository, person, grant(...role, true), logins, SAMPLE_TEAMS);
        expectCompleted(evaluation, person, 'standard');
        const levels = evaluation.changes.find((c) => c.kind === 'grant-added')!.levels.map((l) => l.level);
        expect(levels).toEqual(['manager', 'access-approver']);
      });
  });

  describe('a generated organisation (bench/generate-org.mjs)', () => {
    const generated = generateOrgFiles({ people: 45, systems: 12 });
    const base = Object.fromEntries(generated.files);
    const repository = { '.github/CODEOWNERS': '* @example/security-leads\n' };
    const people = peopleOf(base).filter((p) => p.active && !p.external);
    const logins = people.flatMap((p) => (p.login ? [p.login] : []));
    const teams = {
      'example/it-security': ['gh-user00002', 'gh-user00003'],
      'example/access-approvers': ['gh-user00004'],
    };
    const roles: Record<string, string> = { standard: 'sys1', elevated: 'sys2', privileged: 'sys3' };
    it('has every kind of person the sample has: heads who are their own head, managers who head their department', () => {
      expect(people.length).toBe(45);
    });
    for (const person of people)
      it(`${person.uid} x standard, elevated, privileged`, () => {
        for (const [tier, system] of Object.entries(roles))
          expectCompleted(
            requestFor(base, repository, person, grant(system, 'role3', false), logins, teams),
            person,
            tier,
          );
      });
  });
});
