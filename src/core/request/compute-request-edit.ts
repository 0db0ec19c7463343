import type { AccessTree } from '../model/access-tree.js';
import { isDateOnly, parseCalendarDate } from '../model/time.js';
import { own } from '../model/own.js';
import type { AccessRequest, RequestProblem } from './access-request.js';
import { addGrantsToPersonYaml, newPersonYaml } from './edit-person-yaml.js';
import type { GrantFields } from './edit-person-yaml.js';

/** One file the request writes: its path as the tree names it, its new text, and whether it is new. */
export interface FileEdit {
  path: string;
  text: string;
  created: boolean;
}

export type RequestEdit = { ok: true; edit: FileEdit } | { ok: false; problems: RequestProblem[] };

const UID = /^[a-z][a-z0-9._-]{1,63}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The file change a request makes, checked against the tree it applies to: the person exists
 * and is active (or is new, with a name and an email), the department is theirs, each system
 * role is in the catalog and not already held, the dates are real. Everything else (separation
 * of duties, emergency limits, attestations) is the validator's, run on the result by the caller.
 * @example computeRequestEdit(tree, 'access', { uid: 'jsmith', grants: [{ system: 'crm', role: 'sales-rep' }], ... })
 */
export function computeRequestEdit(
  tree: AccessTree,
  root: string,
  request: AccessRequest,
  options: { schemaPath: string },
): RequestEdit {
  const problems = [...checkDates(request), ...checkCatalog(tree, request)];
  if (request.justification.trim().length < 3)
    problems.push({ code: 'MISSING_FIELD', field: 'justification', message: 'say why this access is needed' });
  if (!UID.test(request.uid))
    problems.push({
      code: 'INVALID_VALUE',
      field: 'uid',
      message: `"${request.uid}" is not a uid (lower-case letters, digits, ".", "_" or "-", starting with a letter)`,
    });
  const existing = tree.people.get(request.uid);
  if (existing) problems.push(...checkExisting(existing.value, request));
  else problems.push(...checkNewPerson(tree, request));
  if (problems.length > 0) return { ok: false, problems };

  const grants: GrantFields[] = request.grants.map(({ system, role }) => ({
    system,
    role,
    justification: request.justification.trim(),
    ...(request.starts !== undefined ? { starts: request.starts } : {}),
    ...(request.expires !== undefined ? { expires: request.expires } : {}),
    ...(request.emergency ? { emergency: true } : {}),
  }));
  if (existing) {
    const text = addGrantsToPersonYaml(existing.source.text, grants);
    if (text === undefined)
      return {
        ok: false,
        problems: [
          {
            code: 'NOT_EDITABLE',
            field: 'uid',
            message: `${existing.source.path} has a \`grants\` that is not a list aac can add to; edit it by hand`,
          },
        ],
      };
    return { ok: true, edit: { path: existing.source.path, text, created: false } };
  }
  const person = request.newPerson!;
  const text = newPersonYaml(
    {
      uid: request.uid,
      name: person.name.trim(),
      email: person.email.trim(),
      type: person.type,
      ...(request.department !== undefined ? { department: request.department } : {}),
      ...(person.manager !== undefined ? { manager: person.manager } : {}),
    },
    grants,
    options.schemaPath,
  );
  return {
    ok: true,
    edit: { path: `${root === '.' ? '' : `${root}/`}people/${request.uid}.yaml`, text, created: true },
  };
}

function checkDates(request: AccessRequest): RequestProblem[] {
  const problems: RequestProblem[] = [];
  for (const [field, value] of [
    ['start', request.starts],
    ['end', request.expires],
  ] as const) {
    if (value !== undefined && (!isDateOnly(value) || parseCalendarDate(value) === undefined))
      problems.push({ code: 'INVALID_DATE', field, message: `"${value}" is not a date written YYYY-MM-DD` });
  }
  if (request.emergency && request.expires === undefined)
    problems.push({ code: 'MISSING_FIELD', field: 'end', message: 'emergency access needs an end date' });
  return problems;
}

function checkCatalog(tree: AccessTree, request: AccessRequest): RequestProblem[] {
  if (request.grants.length === 0)
    return [{ code: 'MISSING_FIELD', field: 'access', message: 'name at least one system/role' }];
  const problems: RequestProblem[] = [];
  const seen = new Set<string>();
  for (const { system, role } of request.grants) {
    const entry = tree.systems.get(system)?.value;
    if (!entry) {
      problems.push({
        code: 'UNKNOWN_SYSTEM',
        field: 'access',
        message: `there is no system "${system}"; the systems are ${[...tree.systems.keys()].sort().join(', ')}`,
      });
    } else if (own(entry.roles, role) === undefined) {
      problems.push({
        code: 'UNKNOWN_ROLE',
        field: 'access',
        message: `${entry.name} (${system}) has no role "${role}"; its roles are ${Object.keys(entry.roles).join(', ')}`,
      });
    } else if (seen.has(`${system}/${role}`)) {
      problems.push({ code: 'INVALID_VALUE', field: 'access', message: `${system}/${role} is named twice` });
    }
    seen.add(`${system}/${role}`);
  }
  return problems;
}

function checkExisting(
  person: { uid: string; status: string; department?: string; grants: ReadonlyArray<{ system: string; role: string }> },
  request: AccessRequest,
): RequestProblem[] {
  const problems: RequestProblem[] = [];
  if (person.status !== 'active')
    problems.push({
      code: 'PERSON_NOT_ACTIVE',
      field: 'uid',
      message: `${person.uid} is ${person.status}; ask for the person to be reactivated first`,
    });
  if (request.department !== undefined && person.department !== undefined && request.department !== person.department)
    problems.push({
      code: 'DEPARTMENT_MISMATCH',
      field: 'department',
      message: `${person.uid} is in ${person.department}, not ${request.department}`,
    });
  for (const { system, role } of request.grants) {
    if (person.grants.some((g) => g.system === system && g.role === role))
      problems.push({
        code: 'ALREADY_GRANTED',
        field: 'access',
        message: `${person.uid} already has ${system}/${role}; to change its dates, edit the file`,
      });
  }
  return problems;
}

function checkNewPerson(tree: AccessTree, request: AccessRequest): RequestProblem[] {
  const person = request.newPerson;
  if (!person)
    return [
      {
        code: 'UNKNOWN_PERSON',
        field: 'uid',
        message: `there is no person "${request.uid}"; for someone new, give their name, email, type and manager`,
      },
    ];
  const problems: RequestProblem[] = [];
  if (person.name.trim() === '')
    problems.push({ code: 'MISSING_FIELD', field: 'name', message: 'a new person needs a full name' });
  if (!EMAIL.test(person.email.trim()))
    problems.push({ code: 'INVALID_VALUE', field: 'email', message: 'a new person needs an email address' });
  const departments = tree.policy?.value.departments ?? {};
  if (request.department === undefined)
    problems.push({ code: 'MISSING_FIELD', field: 'department', message: 'a new person needs a department' });
  else if (own(departments, request.department) === undefined)
    problems.push({
      code: 'UNKNOWN_DEPARTMENT',
      field: 'department',
      message: `there is no department "${request.department}"; the departments are ${Object.keys(departments).sort().join(', ')}`,
    });
  if (person.manager !== undefined && !tree.people.has(person.manager))
    problems.push({ code: 'UNKNOWN_PERSON', field: 'manager', message: `there is no person "${person.manager}"` });
  return problems;
}
