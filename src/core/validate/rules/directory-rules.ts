import type { Diagnostic } from '../../diagnostics.js';
import { diagnosticAt } from '../../model/access-tree.js';
import type { DirectoryFlavor } from '../../model/types.js';
import { computeAccountAttributes } from '../../plan/compute-desired-state.js';
import type { AccountAttributes } from '../../plan/directory-snapshot.js';
import type { RuleContext } from './context.js';
import { sortedPeople } from './identity-rules.js';

/**
 * Upper bounds the directory enforces on the values aac writes, in characters, by flavour. Active
 * Directory checks each attribute's rangeUpper (and keeps logon names to 20 characters); OpenLDAP's
 * standard schemas set bounds far above what the person schema allows, so only AD needs them.
 */
const LIMITS: Record<
  DirectoryFlavor,
  Partial<Record<'uid' | keyof AccountAttributes, { limit: number; attribute: string }>>
> = {
  openldap: {},
  'active-directory': {
    uid: { limit: 20, attribute: 'sAMAccountName' },
    name: { limit: 256, attribute: 'displayName' },
    surname: { limit: 64, attribute: 'sn' },
    givenName: { limit: 64, attribute: 'givenName' },
    title: { limit: 128, attribute: 'title' },
    department: { limit: 64, attribute: 'department' },
    employeeId: { limit: 16, attribute: 'employeeID' },
    mail: { limit: 256, attribute: 'mail' },
  },
};

/** Which field of the person file each directory value comes from, for the diagnostic's position. */
const SOURCE_FIELD: Record<'uid' | keyof AccountAttributes, string> = {
  uid: 'uid',
  name: 'name',
  surname: 'name',
  givenName: 'name',
  mail: 'email',
  title: 'title',
  department: 'department',
  employeeId: 'employeeId',
  type: 'type',
};

/**
 * Values the directory would refuse are refused here, at the file, instead of failing at apply:
 * a name that is blank once trimmed (`sn` would be empty, which no directory accepts), and values
 * longer than the flavour allows (AD: `sAMAccountName` at most 20 characters, `employeeID` 16...).
 */
export function checkDirectoryValues({ tree }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const flavor = tree.policy?.value.directory.flavor ?? 'openldap';
  for (const person of sortedPeople(tree.people)) {
    const p = person.value;
    if (p.name.trim() === '') {
      out.push(
        diagnosticAt(person, ['name'], 'BLANK_VALUE', 'name is blank once trimmed: the directory needs a surname (sn)'),
      );
      continue;
    }
    const values: Partial<Record<'uid' | keyof AccountAttributes, string>> = {
      uid: p.uid,
      ...computeAccountAttributes(p),
    };
    for (const [field, bound] of Object.entries(LIMITS[flavor]) as [
      keyof typeof values,
      { limit: number; attribute: string },
    ][]) {
      const value = values[field];
      if (value === undefined || [...value].length <= bound.limit) continue;
      out.push(
        diagnosticAt(
          person,
          [SOURCE_FIELD[field]],
          'DIRECTORY_LIMIT',
          `${field === SOURCE_FIELD[field] ? field : `${SOURCE_FIELD[field]} (its ${field})`} is ${[...value].length} characters; ${flavor === 'active-directory' ? 'Active Directory' : 'the directory'} accepts at most ${bound.limit} in ${bound.attribute}`,
        ),
      );
    }
  }
  return out;
}

/** An RDN sequence as the policy writes relative DNs (`ou=people`, `uid=svc,ou=people`). */
const RELATIVE_DN = /^[A-Za-z][A-Za-z0-9-]*=[^,=+]+(?:,[A-Za-z][A-Za-z0-9-]*=[^,=+]+)*$/;

/**
 * Each `reconcile.unmanaged` item is a DN relative to baseDN under one of the managed OUs, or an
 * LDAP filter (RFC 4515) in parentheses: anything else would silently match nothing, and the
 * entries meant to be left alone would be locked.
 */
export function checkUnmanaged({ tree }: RuleContext): Diagnostic[] {
  const policy = tree.policy;
  if (!policy) return [];
  const { peopleOU, groupsOU } = policy.value.directory;
  const under = [peopleOU, groupsOU].map((ou) => ou.toLowerCase());
  const out: Diagnostic[] = [];
  policy.value.reconcile.unmanaged.forEach((item, index) => {
    const text = item.trim();
    const problem = text.startsWith('(')
      ? filterProblem(text)
      : !RELATIVE_DN.test(text)
        ? 'is neither a DN relative to baseDN (e.g. uid=svc-backup,ou=people) nor an LDAP filter in parentheses'
        : !under.some((ou) => text.toLowerCase() === ou || text.toLowerCase().endsWith(`,${ou}`))
          ? `is not under ${peopleOU} or ${groupsOU}: the reconciler only ever reads those`
          : undefined;
    if (problem !== undefined)
      out.push(diagnosticAt(policy, ['reconcile', 'unmanaged', index], 'INVALID_UNMANAGED', `"${item}" ${problem}`));
  });
  return out;
}

/**
 * Why `text` is not an RFC 4515 filter, or undefined. A small recursive parser: `(&...)`, `(|...)`,
 * `(!...)` and `(attr op value)` with `=`, `~=`, `>=`, `<=` or an extensible `:...:=`, values
 * free of unescaped parentheses.
 */
export function filterProblem(text: string): string | undefined {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`is not an LDAP filter: ${why} at character ${i + 1}`);
  };
  const filter = (): void => {
    if (text[i] !== '(') fail('expected "("');
    i++;
    const op = text[i];
    if (op === '&' || op === '|') {
      i++;
      if (text[i] !== '(') fail(`expected a filter after "${op}"`);
      while (text[i] === '(') filter();
    } else if (op === '!') {
      i++;
      filter();
    } else item();
    if (text[i] !== ')') fail('expected ")"');
    i++;
  };
  const item = (): void => {
    const m =
      /^([A-Za-z][A-Za-z0-9-]*(?:;[A-Za-z0-9-]+)*|[0-9]+(?:\.[0-9]+)+)?(:dn)?(:[A-Za-z0-9.-]+)?(~=|>=|<=|:=|=)/.exec(
        text.slice(i),
      );
    if (!m || (m[1] === undefined && m[4] !== ':=')) fail('expected an attribute and an operator');
    i += m![0].length;
    while (i < text.length && text[i] !== ')') {
      if (text[i] === '(') fail('"(" in a value must be escaped as \\28');
      if (text[i] === '\\' && !/^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3)))
        fail('"\\" must start a two-digit hex escape');
      i += text[i] === '\\' ? 3 : 1;
    }
  };
  try {
    filter();
    if (i !== text.length) fail('text after the filter');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
