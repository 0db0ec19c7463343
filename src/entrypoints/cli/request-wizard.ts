import type { AccessTree } from '../../core/model/access-tree.js';
import { roleRisk } from '../../core/model/risk.js';
import { isDateOnly, parseCalendarDate } from '../../core/model/time.js';
import type { AccessRequest, NewPerson } from '../../core/request/access-request.js';

/** The answers so far: from flags, then filled in by the prompts. */
export interface RequestAnswers {
  uid?: string;
  newPerson?: Partial<NewPerson>;
  department?: string;
  grants: Array<{ system: string; role: string }>;
  justification?: string;
  emergency?: boolean;
  starts?: string;
  expires?: string;
}

/** Where the prompts read and write: a terminal. */
export interface Terminal {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

const NEW = '\u0000new';

/**
 * Asks, on the terminal, for every answer the flags did not give: the person (searching the
 * people by uid, name, email or department, or someone new), one or more system roles (searching
 * the catalog), the justification, emergency or not, and the dates. The prompt library is
 * imported only here, so other commands never load it.
 */
export async function askRequest(known: RequestAnswers, tree: AccessTree, terminal: Terminal): Promise<AccessRequest> {
  const [{ default: search }, { default: input }, { default: confirm }, { default: select }] = await Promise.all([
    import('@inquirer/search'),
    import('@inquirer/input'),
    import('@inquirer/confirm'),
    import('@inquirer/select'),
  ]);
  const context = { input: terminal.input, output: terminal.output };
  const answers: RequestAnswers = { ...known, grants: [...known.grants] };

  if (answers.uid === undefined) {
    const people = [...tree.people.values()]
      .map((e) => e.value)
      .filter((p) => p.status === 'active')
      .sort((a, b) => a.uid.localeCompare(b.uid));
    const picked = await search<string>(
      {
        message: 'Who needs access? (type to search)',
        source: (term) => [
          ...people
            .filter((p) => matches(term, p.uid, p.name, p.email, p.department ?? ''))
            .map((p) => ({ value: p.uid, name: `${p.uid}  ${p.name}${p.department ? ` (${p.department})` : ''}` })),
          { value: NEW, name: '+ someone not in the files yet' },
        ],
      },
      context,
    );
    if (picked !== NEW) answers.uid = picked;
    else {
      answers.uid = await input(
        {
          message: 'Their uid (e.g. jsmith):',
          validate: (v) => /^[a-z][a-z0-9._-]{1,63}$/.test(v) || 'lower-case letters, digits, . _ -',
        },
        context,
      );
      answers.newPerson = {
        name: await input({ message: 'Full name:', validate: (v) => v.trim() !== '' || 'a name is needed' }, context),
        email: await input(
          { message: 'Email:', validate: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) || 'an email address' },
          context,
        ),
        type: await select<'employee' | 'contractor'>(
          { message: 'Type:', choices: [{ value: 'employee' }, { value: 'contractor' }] },
          context,
        ),
      };
      const manager = await search<string>(
        {
          message: 'Their manager (type to search):',
          source: (term) =>
            people
              .filter((p) => matches(term, p.uid, p.name))
              .map((p) => ({ value: p.uid, name: `${p.uid}  ${p.name}` })),
        },
        context,
      );
      answers.newPerson.manager = manager;
      const departments = Object.entries(tree.policy?.value.departments ?? {});
      answers.department = await select<string>(
        {
          message: 'Department:',
          choices: departments.map(([id, d]) => ({ value: id, name: d.name ? `${id}  ${d.name}` : id })),
        },
        context,
      );
    }
  }

  if (answers.grants.length === 0) {
    const holds = new Set((tree.people.get(answers.uid ?? '')?.value.grants ?? []).map((g) => `${g.system}/${g.role}`));
    const catalog = [...tree.systems.values()]
      .map((e) => e.value)
      .sort((a, b) => a.id.localeCompare(b.id))
      .flatMap((system) =>
        Object.entries(system.roles).map(([role, r]) => ({
          value: `${system.id}/${role}`,
          name: `${system.id}/${role}  ${system.name}${r.description ? `: ${r.description}` : ''} [${roleRisk(system, r)}${r.privileged ? ', privileged' : ''}]`,
          search: [`${system.id}/${role}`, system.name, r.description ?? '', r.group],
        })),
      );
    for (;;) {
      const picked = await search<string>(
        {
          message: answers.grants.length === 0 ? 'Which system and role? (type to search)' : 'Another one?',
          source: (term) =>
            catalog
              .filter((c) => matches(term, ...c.search))
              .map((c) => ({
                value: c.value,
                name: c.name,
                ...(holds.has(c.value) || answers.grants.some((g) => `${g.system}/${g.role}` === c.value)
                  ? { disabled: '(already held)' }
                  : {}),
              })),
        },
        context,
      );
      const [system, role] = picked.split('/') as [string, string];
      answers.grants.push({ system, role });
      if (!(await confirm({ message: 'Add another system or role?', default: false }, context))) break;
    }
  }

  answers.justification ??= await input(
    {
      message: 'Why is this access needed?',
      validate: (v) => v.trim().length >= 3 || 'say why: approvers and auditors read it',
    },
    context,
  );
  answers.emergency ??= await confirm(
    { message: 'Is this an emergency (break-glass access, ends within days)?', default: false },
    context,
  );
  answers.starts ??= optional(
    await input(
      { message: 'Start date (YYYY-MM-DD; empty: as soon as it is approved):', validate: dateOrEmpty },
      context,
    ),
  );
  answers.expires ??= optional(
    await input(
      {
        message: `Last day of access (YYYY-MM-DD${answers.emergency ? '' : '; empty: no end'}):`,
        validate: (v) => (answers.emergency && v.trim() === '' ? 'emergency access needs an end date' : dateOrEmpty(v)),
      },
      context,
    ),
  );
  return toRequest(answers);
}

/** The request once every answer is there; flags only, without prompts. */
export function toRequest(answers: RequestAnswers): AccessRequest {
  const { newPerson } = answers;
  return {
    uid: answers.uid ?? '',
    ...(newPerson
      ? {
          newPerson: {
            name: newPerson.name ?? '',
            email: newPerson.email ?? '',
            type: newPerson.type ?? 'employee',
            ...(newPerson.manager !== undefined ? { manager: newPerson.manager } : {}),
          },
        }
      : {}),
    ...(answers.department !== undefined ? { department: answers.department } : {}),
    grants: answers.grants,
    justification: answers.justification ?? '',
    emergency: answers.emergency ?? false,
    ...(answers.starts !== undefined ? { starts: answers.starts } : {}),
    ...(answers.expires !== undefined ? { expires: answers.expires } : {}),
  };
}

function matches(term: string | undefined, ...fields: string[]): boolean {
  const t = (term ?? '').trim().toLowerCase();
  return t === '' || fields.some((f) => f.toLowerCase().includes(t));
}

function dateOrEmpty(value: string): true | string {
  const v = value.trim();
  return v === '' || (isDateOnly(v) && parseCalendarDate(v) !== undefined) || 'a date written YYYY-MM-DD, or nothing';
}

function optional(value: string): string | undefined {
  return value.trim() === '' ? undefined : value.trim();
}
