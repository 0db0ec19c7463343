import type { TeamMembers } from '../../core/policy/team-members.js';
import type { GitHubClient } from './approval-octokit.js';
import { gitHubError } from './github-error.js';

interface MembersPage {
  nodes: Array<{ login: string }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
type TeamsResponse = Record<string, { team: { members: MembersPage } | null } | null>;

/**
 * Members (including child teams' members) of `org/team` slugs: ONE GraphQL request for all
 * teams, 100 members each; only a team with more members costs further requests.
 * A team the installation cannot see comes back with no members, so its level stays unmet.
 */
export async function readTeamMembers(octokit: GitHubClient, teams: readonly string[]): Promise<TeamMembers> {
  const result: Record<string, string[]> = {};
  if (teams.length === 0) return result;
  const parts = teams.map((team) => team.split('/') as [string, string]);
  const vars: Record<string, string> = {};
  const fields = parts.map(([org, slug], i) => {
    vars[`o${i}`] = org;
    vars[`s${i}`] = slug;
    return `t${i}: organization(login: $o${i}) { team(slug: $s${i}) { members(first: 100, membership: ALL) { nodes { login } pageInfo { hasNextPage endCursor } } } }`;
  });
  const declared = parts.map((_, i) => `$o${i}: String!, $s${i}: String!`).join(', ');
  const data = await query<TeamsResponse>(octokit, `query aacTeams(${declared}) { ${fields.join(' ')} }`, vars);
  for (let i = 0; i < teams.length; i++) {
    // A team the installation cannot see is left out: its members are unknown, not none.
    if (!data[`t${i}`]?.team) continue;
    let page = data[`t${i}`]?.team?.members;
    const members = [...(page?.nodes.map((n) => n.login) ?? [])];
    while (page?.pageInfo.hasNextPage) {
      const [org, slug] = parts[i]!;
      const next = await query<TeamsResponse>(
        octokit,
        'query aacTeamPage($o: String!, $s: String!, $after: String) { t: organization(login: $o) { team(slug: $s) { members(first: 100, after: $after, membership: ALL) { nodes { login } pageInfo { hasNextPage endCursor } } } } }',
        { o: org, s: slug, after: page.pageInfo.endCursor ?? '' },
      );
      page = next['t']?.team?.members;
      members.push(...(page?.nodes.map((n) => n.login) ?? []));
    }
    result[teams[i]!] = members;
  }
  return result;
}

// Organizations or teams the token cannot see come back as GraphQL errors with partial data:
// keep the data (those teams have no members), fail on anything else.
async function query<T>(octokit: GitHubClient, text: string, variables: Record<string, string>): Promise<T> {
  try {
    return await octokit.graphql<T>(text, variables);
  } catch (error) {
    const partial = (error as { data?: unknown; errors?: unknown } | null) ?? {};
    if (Array.isArray(partial.errors) && partial.data && typeof partial.data === 'object') return partial.data as T;
    throw gitHubError('cannot read team members', error);
  }
}
