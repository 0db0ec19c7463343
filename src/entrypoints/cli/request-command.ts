import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveAccessDir } from '../../adapters/fs/find-access-dir.js';
import { loadSchemas } from '../../adapters/fs/load-schemas.js';
import type { AccessRequest } from '../../core/request/access-request.js';
import { evaluateRequest } from '../../core/request/evaluate-request.js';
import {
  formatRequestPreviewMarkdown,
  formatRequestPreviewText,
  formatRequestProblemsText,
  requestTier,
} from '../../core/request/format-request-preview.js';
import { createSchemaChecker } from '../../core/validate/schema-diagnostics.js';
import { validateAccessTree } from '../../core/validate/validate-access-tree.js';
import { UsageError } from '../../errors.js';
import { publishRequest } from '../../services/request/publish-request.js';
import { readRequestBase, readTeamsFile } from '../../services/request/read-request-base.js';
import { EXIT } from './cli-io.js';
import type { CliIO } from './cli-io.js';
import { readNow } from './read-now.js';
import { askRequest, toRequest } from './request-wizard.js';
import type { RequestAnswers } from './request-wizard.js';
import { createStyle } from './style.js';

export const REQUEST_HELP = `Usage: aac request [options]

Asks for access: on a terminal, a wizard asks who, which system and role (type to search the
catalog), why, whether it is an emergency, and the dates; every question also has a flag, so it
runs without a terminal too. Before writing anything it shows the tier and who will have to
approve. Then it adds the grant to the person's file (keeping the file's comments and layout),
commits that file on a new branch, pushes it and opens the pull request with gh; without gh it
prints the commands that finish the job.

  --person UID            who needs access (a uid not in the files adds a new person:
                          give --name, --email, --type, --manager and --department)
  --grant SYSTEM/ROLE     a role from the catalog; repeat for several
  --system ID --role ID   the same, for one role
  --justification TEXT    why (approvers and auditors read it)
  --emergency             break-glass access: one approval, must end within the policy's limit
  --starts DATE           provisioned from that day (YYYY-MM-DD)
  --expires DATE          the last day of access (YYYY-MM-DD)
  --name TEXT, --email ADDRESS, --type employee|contractor, --manager UID, --department ID
                          who a new person is
  --teams FILE            {"org/team": ["login", ...]}: who may approve the team levels
  --author LOGIN          your GitHub login: you never count as an approver of your request
  --branch NAME           the branch to create (default aac/request-UID-SYSTEM-ROLE)
  --dry-run               show the change and its approvers; write nothing
  --no-commit             write the file only
  --no-pr                 write and commit, but do not push or open the pull request
  --yes                   do not ask for confirmation before writing

Exit status: 0 done (or shown, with --dry-run), 1 the request is not valid (what to fix is
printed), 2 usage error or not in a git repository.
`;

const FLAGS = {
  person: { type: 'string' },
  grant: { type: 'string', multiple: true },
  system: { type: 'string' },
  role: { type: 'string' },
  justification: { type: 'string' },
  emergency: { type: 'boolean' },
  starts: { type: 'string' },
  expires: { type: 'string' },
  name: { type: 'string' },
  email: { type: 'string' },
  type: { type: 'string' },
  manager: { type: 'string' },
  department: { type: 'string' },
  teams: { type: 'string' },
  author: { type: 'string' },
  branch: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  'no-commit': { type: 'boolean', default: false },
  'no-pr': { type: 'boolean', default: false },
  yes: { type: 'boolean', short: 'y', default: false },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runRequest(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: FLAGS });
  if (values.help) {
    io.stdout(REQUEST_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError('request takes no positional arguments; see --help');
  const known = answersFromFlags(values);
  const now = readNow(values.now, io.env);
  const base = await readRequestBase(resolveAccessDir(undefined, io.cwd));
  const checkSchema = createSchemaChecker(loadSchemas());
  const tree = validateAccessTree({ root: base.root, files: base.files, checkSchema, now }).tree;

  const request = isComplete(known)
    ? toRequest(known)
    : io.terminal
      ? await askRequest(known, tree, io.terminal)
      : missingFlags(known);
  const outcome = evaluateRequest({
    root: base.root,
    files: base.files,
    ...(base.codeowners ? { codeowners: base.codeowners } : {}),
    request,
    ...(values.author !== undefined ? { author: values.author } : {}),
    teams: values.teams === undefined ? {} : readTeamsFile(resolve(io.cwd, values.teams)),
    checkSchema,
    now,
    schemaPath: '../../node_modules/aac/schemas/person.schema.json',
  });
  const style = createStyle(io);
  if (outcome.status === 'invalid') {
    io.stderr(`aac request: this request cannot be made as it is:\n${formatRequestProblemsText(outcome.problems)}`);
    return EXIT.failed;
  }
  const { edit, evaluation } = outcome;
  io.stdout(
    `${style.bold(`${edit.created ? 'Creates' : 'Edits'} ${edit.path}`)}\n${formatRequestPreviewText(evaluation)}`,
  );
  if (values['dry-run']) return EXIT.ok;

  const until = values['no-commit'] ? 'write' : values['no-pr'] ? 'commit' : 'pull-request';
  const branch = values.branch ?? defaultBranch(request);
  if (!values.yes && io.terminal) {
    const { default: confirm } = await import('@inquirer/confirm');
    const what =
      until === 'write'
        ? `Write ${edit.path}?`
        : `Commit it on a new branch ${branch}${until === 'pull-request' ? ' and open the pull request' : ''}?`;
    if (!(await confirm({ message: what, default: true }, io.terminal))) {
      io.stdout('Nothing written.\n');
      return EXIT.ok;
    }
  }
  const title = titleOf(request);
  const published = await publishRequest({
    repoDir: base.repoDir,
    base: base.branch,
    edit,
    branch,
    title,
    body: bodyOf(request, formatRequestPreviewMarkdown(evaluation)),
    until,
    env: io.env,
  });
  switch (published.stage) {
    case 'written':
      io.stdout(`Wrote ${edit.path}; commit it and open a pull request into ${base.branch}.\n`);
      break;
    case 'committed':
      io.stdout(
        `Committed ${published.commit.slice(0, 12)} on ${published.branch} (tier ${requestTier(evaluation)}).\n` +
          `To open the pull request${until === 'pull-request' ? ' (gh is not installed)' : ''}:\n${published.next.map((c) => `  ${c}\n`).join('')}`,
      );
      break;
    case 'opened':
      io.stdout(`Opened ${published.url} (tier ${requestTier(evaluation)}) from ${published.branch}.\n`);
      break;
  }
  return EXIT.ok;
}

type Values = {
  [K in keyof typeof FLAGS]?: (typeof FLAGS)[K] extends { multiple: true }
    ? string[]
    : (typeof FLAGS)[K] extends { type: 'boolean' }
      ? boolean
      : string;
};

function answersFromFlags(values: Values): RequestAnswers {
  const grants = (values.grant ?? []).map((g) => {
    const [system, role, ...rest] = g.split('/');
    if (!system || !role || rest.length > 0)
      throw new UsageError(`--grant ${g}: write SYSTEM/ROLE, e.g. crm/sales-rep`);
    return { system, role };
  });
  if ((values.system === undefined) !== (values.role === undefined))
    throw new UsageError('--system and --role go together');
  if (values.system !== undefined && values.role !== undefined)
    grants.push({ system: values.system, role: values.role });
  const type = values.type;
  if (type !== undefined && type !== 'employee' && type !== 'contractor')
    throw new UsageError(
      `--type must be employee or contractor, not "${type}" (external people are added by hand, with their organisation and sponsor)`,
    );
  const isNew = [values.name, values.email, type, values.manager].some((v) => v !== undefined);
  return {
    ...(values.person !== undefined ? { uid: values.person } : {}),
    ...(isNew
      ? {
          newPerson: {
            ...(values.name !== undefined ? { name: values.name } : {}),
            ...(values.email !== undefined ? { email: values.email } : {}),
            ...(type !== undefined ? { type } : {}),
            ...(values.manager !== undefined ? { manager: values.manager } : {}),
          },
        }
      : {}),
    ...(values.department !== undefined ? { department: values.department } : {}),
    grants,
    ...(values.justification !== undefined ? { justification: values.justification } : {}),
    ...(values.emergency !== undefined ? { emergency: values.emergency } : {}),
    ...(values.starts !== undefined ? { starts: values.starts } : {}),
    ...(values.expires !== undefined ? { expires: values.expires } : {}),
  };
}

/** Whether the flags say everything the wizard would ask (the dates and emergency have defaults). */
function isComplete(a: RequestAnswers): boolean {
  return a.uid !== undefined && a.grants.length > 0 && a.justification !== undefined;
}

function missingFlags(a: RequestAnswers): never {
  const missing = [
    a.uid === undefined ? '--person' : undefined,
    a.grants.length === 0 ? '--grant (or --system and --role)' : undefined,
    a.justification === undefined ? '--justification' : undefined,
  ].filter((m) => m !== undefined);
  throw new UsageError(`not on a terminal, so nothing can be asked: give ${missing.join(', ')}`);
}

function defaultBranch(request: AccessRequest): string {
  const first = request.grants[0];
  const name = `aac/request-${request.uid}${first ? `-${first.system}-${first.role}` : ''}`;
  return name.replace(/[^A-Za-z0-9._/-]+/g, '-').replace(/\.+(?=\/|$)/g, '');
}

function titleOf(request: AccessRequest): string {
  const roles = request.grants.map((g) => `${g.system}/${g.role}`).join(', ');
  return `Access request: ${roles} for ${request.uid}${request.emergency ? ' (emergency)' : ''}`;
}

function bodyOf(request: AccessRequest, preview: string): string {
  const dates = [
    request.starts !== undefined ? `from ${request.starts}` : undefined,
    request.expires !== undefined ? `until ${request.expires}` : undefined,
  ].filter((d) => d !== undefined);
  return `${request.justification.trim()}\n\n${dates.length > 0 ? `Dates: ${dates.join(' ')}\n\n` : ''}${preview}\nMade with \`aac request\`.\n`;
}
