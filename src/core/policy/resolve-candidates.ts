import type { AccessTree } from '../model/access-tree.js';
import { normalizeLogin } from '../model/identity.js';
import { own } from '../model/own.js';
import type { ApproverSource, Person, Uid } from '../model/types.js';
import { isDelegationActive } from '../model/delegation.js';
import { findCodeowners } from './parse-codeowners.js';
import type { CodeownersRule } from './parse-codeowners.js';
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
  /** Time of the evaluation (ms since the epoch): delegations are in force between their dates. */
  now: number;
}

/** Who a level is relative to: the person as in base (preferred) and as in head. */
export interface Subject {
  base?: Person;
  head?: Person;
}

/** Why a login that a source names may not approve. */
export type ExclusionReason =
  /** The pull request's author. */
  | 'author'
  /** A person whose access the change concerns. */
  | 'subject'
  /** Not the `github` of an active person in the base tree (left, a bot, an outside collaborator). */
  | 'not-an-active-person';

export interface Candidates {
  /** Lower-case GitHub logins that may approve, sorted. */
  logins: string[];
  /** `org/team` slugs among the sources, so reviews can be requested from the team. */
  teams: string[];
  /** The logins that come from other sources than teams (to request individually). */
  people: string[];
  /** Logins the sources name that may not approve, and why. */
  excluded: Array<{ login: string; reason: ExclusionReason }>;
  /** Deputies among `logins`: the login -> the uid of the person they approve for. */
  deputies: Map<string, Uid>;
  /** Person-relative sources that name nobody (no manager, no department head, no sponsor...), for "say why". */
  missing: string[];
  /** Teams whose members could not be read: the level may have approvers nobody knows of. */
  unknown: string[];
}

/** Who was excluded from a change's approvals, and why: the author and the subject's logins. */
export type Exclusions = ReadonlyMap<string, Exclude<ExclusionReason, 'not-an-active-person'>>;

/**
 * The GitHub logins that satisfy `sources` for a change of `file` concerning `subject`.
 * Manager, department head and sponsor are taken from the base version of the subject (a pull
 * request cannot choose its own approver by editing `manager:`); for an external person the
 * sponsor stands where the manager does (`manager`, `manager-of-manager`, and their department
 * when they have none). A person who delegates (`delegate`, in force at `now`) is joined by their
 * deputy for the sources that resolve to them. Only the logins of active people in base count,
 * whatever team or list names someone else; `excluded` (the author and the subject's logins)
 * never count.
 * @example resolveCandidates(['manager'], ctx, { base: jsmith }, 'access/people/jsmith.yaml', new Map()).logins // ['mjohnson-ex']
 */
export function resolveCandidates(
  sources: readonly ApproverSource[],
  ctx: ResolveContext,
  subject: Subject | undefined,
  file: string,
  excluded: Exclusions,
): Candidates {
  const named = new Set<string>();
  const fromTeams = new Set<string>();
  const teams: string[] = [];
  const deputies = new Map<string, Uid>();
  const missing: string[] = [];
  const relative = subject?.base ?? subject?.head;
  const person = (uid: string | undefined): Person | undefined =>
    uid === undefined ? undefined : ctx.base.people.get(uid)?.value;
  const addPerson = (uid: string | undefined, what: string, delegable: boolean): void => {
    const p = person(uid);
    if (!p || p.status !== 'active') return void missing.push(what);
    if (p.github) named.add(normalizeLogin(p.github));
    const d = p.delegate;
    if (!delegable || !d || !isDelegationActive(d, ctx.now)) return;
    const deputy = person(d.to);
    if (deputy?.github && deputy.status === 'active' && deputy.uid !== p.uid) {
      const login = normalizeLogin(deputy.github);
      named.add(login);
      if (!deputies.has(login)) deputies.set(login, p.uid);
    }
  };
  const unknown: string[] = [];
  const addTeam = (team: string): void => {
    teams.push(team);
    const members = membersOfTeam(ctx.teams, team);
    if (members === undefined) unknown.push(team);
    for (const member of members ?? []) fromTeams.add(normalizeLogin(member));
  };
  const external = relative?.type === 'external';
  // An external person's sponsor stands where an employee's manager does.
  const managerUid = external ? relative?.sponsor : relative?.manager;
  const department = relative?.department ?? (external ? person(relative?.sponsor)?.department : undefined);
  const headUid = department === undefined ? undefined : own(ctx.base.policy?.value.departments, department)?.head;
  for (const source of sources) {
    if (source === 'manager') addPerson(managerUid, external ? 'sponsor' : 'manager', true);
    else if (source === 'sponsor') addPerson(relative?.sponsor, 'sponsor', true);
    else if (source === 'department-head') addPerson(headUid, 'department head', true);
    else if (source === 'manager-of-manager') addPerson(person(managerUid)?.manager, "manager's manager", true);
    else if (source === 'manager-of-department-head')
      addPerson(person(headUid)?.manager, "department head's manager", true);
    else if (source === 'codeowners') {
      // A file CODEOWNERS leaves unowned is the policy owners' (what `aac codeowners` writes as `*`).
      const found = findCodeowners(ctx.codeowners, file);
      const owners =
        found.length > 0 ? found : (ctx.base.policy?.value.owners ?? []).map((o) => `@${o.replace(/^@/, '')}`);
      for (const owner of owners) {
        if (!owner.startsWith('@')) continue; // e-mail owners cannot be matched to a review
        const name = owner.slice(1);
        if (name.includes('/')) addTeam(name);
        else named.add(normalizeLogin(name));
      }
    } else if ('team' in source) addTeam(source.team);
    else if ('users' in source) for (const user of source.users) named.add(normalizeLogin(user));
    else for (const uid of source.people) addPerson(uid, `person ${uid}`, false);
  }
  const out: Candidates['excluded'] = [];
  const allowed = (login: string): boolean => {
    const reason = excluded.get(login) ?? (ctx.approvers.has(login) ? undefined : 'not-an-active-person');
    if (reason !== undefined) out.push({ login, reason });
    return reason === undefined;
  };
  const all = [...new Set([...named, ...fromTeams])].sort();
  const logins = all.filter(allowed);
  return {
    logins,
    teams: [...new Set(teams)].sort(),
    people: [...named].filter((l) => logins.includes(l)).sort(),
    excluded: out,
    deputies: new Map([...deputies].filter(([login]) => logins.includes(login))),
    missing,
    unknown,
  };
}
