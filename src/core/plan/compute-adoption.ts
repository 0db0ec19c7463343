import type { AccessTree } from '../model/access-tree.js';
import type { Grant, Person, PersonType } from '../model/types.js';
import { computeAccountAttributes, computeDesiredState } from './compute-desired-state.js';
import type { DirectoryLayout } from './directory-layout.js';
import { foldName } from './directory-names.js';
import type { DirectorySnapshot, ObservedAccount } from './directory-snapshot.js';
import { matchAccounts } from './match-accounts.js';

/** The person file `aac adopt` writes for one undeclared account, and what it could not carry over. */
export interface AdoptedPerson {
  person: Person;
  /** The entry it describes. */
  dn: string;
  /** Differences the next plan will still show for this person (e.g. a uid written in upper case). */
  remaining: string[];
}

/** An undeclared entry `aac adopt` cannot write a valid file for; list it unmanaged or write it by hand. */
export interface NotAdopted {
  dn: string;
  reason: string;
}

export interface Adoption {
  people: AdoptedPerson[];
  notAdopted: NotAdopted[];
  /** Groups under the groups OU that no role declares, as DNs relative to the base DN (apply would empty them). */
  undeclaredGroups: string[];
  /** `reconcile.unmanaged` items to add: undeclared groups, and (with `unmanaged`) the undeclared accounts. */
  unmanaged: string[];
}

export interface AdoptionOptions {
  /** `YYYY-MM-DD`, written into the grants' justification. */
  date: string;
  /** The justification of adopted grants (default: adopted from the directory on `date`). */
  justification?: string;
  /** Attestations the operator states for every adopted person with grants (`--attest`), set to `date`. */
  attest: readonly string[];
  /** Mark every undeclared account unmanaged instead of writing a file for it. */
  unmanaged: boolean;
}

const UID = /^[a-z][a-z0-9._-]{1,63}$/;
const TYPES: readonly PersonType[] = ['employee', 'contractor'];

/**
 * What the directory holds that the files do not declare, as person files (their groups mapped to
 * the catalog's roles) or as `reconcile.unmanaged` items, so that a first run against an existing
 * directory need not lock everyone. Entries in a conflict, unmanaged ones and declared ones are
 * left out. Pure: the entry point reads the directory and writes the files.
 */
export function computeAdoption(
  tree: AccessTree,
  observed: DirectorySnapshot,
  layout: DirectoryLayout,
  options: AdoptionOptions,
): Adoption {
  const desired = computeDesiredState(tree, 0);
  const match = matchAccounts(desired, observed);
  const claimed = new Set([...match.matched.values()].map((a) => a.key));
  const roleOfGroup = new Map<string, { system: string; role: string }>();
  for (const [systemId, system] of tree.systems)
    for (const [roleId, role] of Object.entries(system.value.roles))
      roleOfGroup.set(foldName(role.group), { system: systemId, role: roleId });
  const relative = (dn: string): string => dn.slice(0, dn.length - layout.baseDn.length - 1);
  const undeclaredGroups = observed.groups
    .filter((g) => !g.unmanaged && !roleOfGroup.has(foldName(g.name)))
    .map((g) => relative(g.dn));
  const groupsOf = new Map<string, string[]>();
  for (const group of observed.groups)
    for (const member of group.members)
      if (member.key !== undefined) groupsOf.set(member.key, [...(groupsOf.get(member.key) ?? []), group.name]);

  const adoption: Adoption = { people: [], notAdopted: [], undeclaredGroups, unmanaged: [...undeclaredGroups] };
  const undeclared = observed.accounts.filter(
    (a) => !claimed.has(a.key) && !a.unmanaged && !match.frozenKeys.has(a.key),
  );
  const taken = new Set([...tree.people.keys()]);
  const departments = tree.policy?.value.departments ?? {};
  for (const account of undeclared) {
    if (options.unmanaged) {
      adoption.unmanaged.push(relative(account.dn));
      continue;
    }
    const result = adoptAccount(account, groupsOf.get(account.key) ?? [], roleOfGroup, departments, options);
    if ('reason' in result) adoption.notAdopted.push(result);
    else if (taken.has(result.person.uid))
      adoption.notAdopted.push({ dn: account.dn, reason: `a file for ${result.person.uid} exists already` });
    else {
      taken.add(result.person.uid);
      adoption.people.push(result);
    }
  }
  return adoption;
}

function adoptAccount(
  account: ObservedAccount,
  groups: readonly string[],
  roleOfGroup: Map<string, { system: string; role: string }>,
  departments: Readonly<Record<string, unknown>>,
  options: AdoptionOptions,
): AdoptedPerson | NotAdopted {
  const a = account.attributes;
  const uid = account.uid.toLowerCase();
  if (!UID.test(uid)) return { dn: account.dn, reason: `its uid "${account.uid}" is not a valid uid (${UID.source})` };
  if (a.mail === undefined) return { dn: account.dn, reason: 'it has no mail, which a person file needs' };
  if (a.name === undefined || a.name.trim() === '') return { dn: account.dn, reason: 'it has no name' };
  if (a.type === 'external')
    return {
      dn: account.dn,
      reason: 'it is an external account: its file needs an org and a sponsor, which the directory does not hold',
    };
  const remaining: string[] = [];
  if (uid !== account.uid) remaining.push(`uid ${account.uid} is renamed to ${uid}`);
  const type: PersonType = TYPES.includes(a.type as PersonType) ? (a.type as PersonType) : 'employee';
  if (a.type !== type)
    remaining.push(`employeeType ${a.type === undefined ? '(none)' : JSON.stringify(a.type)} becomes ${type}`);
  const status = account.locked ? 'disabled' : 'active';
  const person: Person = {
    kind: 'Person',
    uid,
    name: a.name,
    email: a.mail,
    type,
    status,
    grants: [],
    attestations: {},
  };
  if (status === 'disabled') person.statusReason = `Locked in the directory when adopted on ${options.date}.`;
  if (a.employeeId !== undefined) person.employeeId = a.employeeId;
  if (a.title !== undefined) person.title = a.title;
  const derived = computeAccountAttributes(person);
  if (a.surname !== undefined && a.surname !== derived.surname) person.surname = a.surname;
  if (a.givenName !== undefined && a.givenName !== derived.givenName) person.givenName = a.givenName;
  if (a.department !== undefined) {
    if (Object.hasOwn(departments, a.department)) person.department = a.department;
    else remaining.push(`departmentNumber ${JSON.stringify(a.department)} is not a department of the policy: removed`);
  }
  const grants: Grant[] = [];
  for (const group of groups) {
    const role = roleOfGroup.get(foldName(group));
    if (!role) continue;
    grants.push({
      system: role.system,
      role: role.role,
      justification: options.justification ?? `Adopted from the directory on ${options.date} (member of ${group}).`,
    });
  }
  if (status === 'disabled' && grants.length > 0)
    remaining.push(`it is locked, so adopted as disabled: its ${grants.length} memberships are removed`);
  if (status === 'active') {
    person.grants = grants;
    if (grants.length > 0) for (const name of options.attest) person.attestations[name] = options.date;
  }
  return { person, dn: account.dn, remaining };
}
