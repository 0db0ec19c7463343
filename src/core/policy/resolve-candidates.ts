import type { AccessTree } from '../model/access-tree.js';
import type { ApproverSource, Person } from '../model/types.js';
import { findCodeowners } from './parse-codeowners.js';
import type { CodeownersRule } from './parse-codeowners.js';
import { own } from '../model/own.js';
import { membersOfTeam } from './team-members.js';
import type { TeamMembers } from './team-members.js';

/** The facts approvers are resolved from. All of them come from the BASE side of the pull request. */
export interface ResolveContext {
  base: AccessTree;
  codeowners: readonly CodeownersRule[];
  teams: TeamMembers;
  /**
   * Lower-case logins of the active people in base (see `computeApproverLogins`): the only logins
   * that ever approve. Teams, `users` and CODEOWNERS are GitHub's lists and outlive a departure;
   * the files say who is here.
   */
  approvers: ReadonlySet<string>;
}

/** Who a level is relative to: the person as in base (preferred) and as in head. */
export interface Subject {
  base?: Person;
  head?: Person;
}

export interface Candidates {
  /** Lower-case GitHub logins that may approve, sorted. */
  logins: string[];
  /** `org/team` slugs among the sources, so reviews can be requested from the team. */
  teams: string[];
  /** The logins that come from other sources than teams (to request individually). */
  people: string[];
}

/**
 * The GitHub logins that satisfy `sources` for a change of `file` concerning `subject`.
 * Manager, department head and sponsor are taken from the base version of the subject (a pull
 * request cannot choose its own approver by editing `manager:`). Only the logins of active people
 * in base count, whatever team or list names someone else; `excluded` (the author and the
 * subject's logins) never count.
 * @example resolveCandidates(['manager'], ctx, { base: jsmith }, 'access/people/jsmith.yaml', new Set()) // { logins: ['mjohnson-ex'], teams: [] }
 */
export function resolveCandidates(
  sources: readonly ApproverSource[],
  ctx: ResolveContext,
  subject: Subject | undefined,
  file: string,
  excluded: ReadonlySet<string>,
): Candidates {
  const logins = new Set<string>();
  const fromTeams = new Set<string>();
  const teams: string[] = [];
  const relative = subject?.base ?? subject?.head;
  const addPerson = (uid: string | undefined): void => {
    const person = uid === undefined ? undefined : ctx.base.people.get(uid)?.value;
    if (person?.github && person.status === 'active') logins.add(person.github.toLowerCase());
  };
  const addTeam = (team: string): void => {
    teams.push(team);
    for (const member of membersOfTeam(ctx.teams, team)) fromTeams.add(member.toLowerCase());
  };
  for (const source of sources) {
    if (source === 'manager') addPerson(relative?.manager);
    else if (source === 'sponsor') addPerson(relative?.sponsor);
    else if (source === 'department-head') {
      const department = relative?.department;
      addPerson(department === undefined ? undefined : own(ctx.base.policy?.value.departments, department)?.head);
    } else if (source === 'codeowners') {
      // A file CODEOWNERS leaves unowned is the policy owners' (what `aac codeowners` writes as `*`).
      const named = findCodeowners(ctx.codeowners, file);
      const owners =
        named.length > 0 ? named : (ctx.base.policy?.value.owners ?? []).map((o) => `@${o.replace(/^@/, '')}`);
      for (const owner of owners) {
        if (!owner.startsWith('@')) continue; // e-mail owners cannot be matched to a review
        const name = owner.slice(1);
        if (name.includes('/')) addTeam(name);
        else logins.add(name.toLowerCase());
      }
    } else if ('team' in source) addTeam(source.team);
    else if ('users' in source) for (const user of source.users) logins.add(user.toLowerCase());
    else for (const uid of source.people) addPerson(uid);
  }
  const allowed = (l: string): boolean => !excluded.has(l) && ctx.approvers.has(l);
  return {
    logins: [...new Set([...logins, ...fromTeams])].filter(allowed).sort(),
    teams: [...new Set(teams)].sort(),
    people: [...logins].filter(allowed).sort(),
  };
}
