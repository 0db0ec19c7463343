import { own } from '../model/own.js';
import type { AccessTree } from '../model/access-tree.js';
import type { CodeownersRule } from './parse-codeowners.js';

/** Members of GitHub teams, by `org/team-slug`: the `--teams` file, or what the app reads from GitHub. */
export type TeamMembers = Readonly<Record<string, readonly string[]>>;

/** `value` as TeamMembers when it has the shape `{"org/team": ["login", ...]}`, else undefined. */
export function parseTeamMembers(value: unknown): TeamMembers | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const ok = Object.values(value).every(
    (members) => Array.isArray(members) && members.every((login) => typeof login === 'string'),
  );
  return ok ? (value as TeamMembers) : undefined;
}

/** GitHub team slugs are case-insensitive; the teams input may spell them either way. */
export function membersOfTeam(teams: TeamMembers, team: string): readonly string[] {
  const exact = own(teams, team);
  if (exact) return exact;
  const wanted = team.toLowerCase();
  const key = Object.keys(teams).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? [] : (own(teams, key) ?? []);
}

/** Every `org/team` the base policy and CODEOWNERS mention: what the app must look up. */
export function referencedTeams(base: AccessTree, codeowners: readonly CodeownersRule[]): string[] {
  const teams = new Set<string>();
  for (const level of Object.values(base.policy?.value.levels ?? {})) {
    for (const source of level.approvers)
      if (typeof source === 'object' && source !== null && 'team' in source && typeof source.team === 'string')
        teams.add(source.team);
  }
  for (const rule of codeowners)
    for (const owner of rule.owners) if (owner.startsWith('@') && owner.includes('/')) teams.add(owner.slice(1));
  return [...teams].sort();
}
