import { basename, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readPackageInfo } from '../../adapters/fs/read-package-info.js';
import { InputError, UsageError } from '../../errors.js';
import { checkScaffoldOptions, renderScaffold } from '../../services/init/render-scaffold.js';
import type { ScaffoldOptions } from '../../services/init/render-scaffold.js';
import { findExistingScaffoldFiles, readOriginOwner, writeScaffold } from '../../services/init/write-scaffold.js';
import { EXIT } from './cli-io.js';
import type { CliIO } from './cli-io.js';
import { readNow } from './read-now.js';
import { renderDiagnostics } from './validate-command.js';

export const INIT_HELP = `Usage: aac init [DIR] [--org ORG] [--base-dn DN] [--flavor openldap|active-directory] [--default-branch NAME]

Creates an access repository in DIR (default: the current folder; created if needed, and made a
git repository if it is not in one): a commented access/policy.yaml, one example system and
person, the workflows pinned to this aac release, CODEOWNERS generated from the policy, the
access request form, editor schema settings, package.json pinning aac, and a README for the
people who will use it. Nothing is overwritten: init stops if any of its files exists.

  --org ORG              the GitHub organisation whose teams the policy names (default: the
                         owner of the origin remote)
  --base-dn DN           the directory's base DN (default dc=example,dc=org)
  --flavor F             openldap (default) or active-directory
  --default-branch NAME  the protected branch the workflows run on (default main)
  --action-repo O/N      the repository of the aac Action (default: aac's own)

Exit status: 0 created, 1 the options give invalid access files, 2 usage error or a file exists.
`;

export async function runInit(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      org: { type: 'string' },
      'base-dn': { type: 'string', default: 'dc=example,dc=org' },
      flavor: { type: 'string', default: 'openldap' },
      'default-branch': { type: 'string', default: 'main' },
      'action-repo': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(INIT_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new UsageError('init takes one directory');
  const flavor = values.flavor;
  if (flavor !== 'openldap' && flavor !== 'active-directory')
    throw new UsageError(`--flavor must be openldap or active-directory, not "${flavor}"`);
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const existing = findExistingScaffoldFiles(dir);
  if (existing.length > 0)
    throw new InputError(`${shown(io, dir)} already has ${existing.join(', ')}; init only creates new files`);
  const org = values.org ?? (await readOriginOwner(dir));
  if (org === undefined)
    throw new UsageError('name the GitHub organisation with --org (the policy and CODEOWNERS name its teams)');

  const info = readPackageInfo();
  const options: ScaffoldOptions = {
    org,
    baseDn: values['base-dn'],
    flavor,
    version: info.version,
    actionRepo: values['action-repo'] ?? info.actionRepo,
    defaultBranch: values['default-branch'],
    packageName: packageNameFor(dir),
  };
  const problems = checkScaffoldOptions(options);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  const rendered = renderScaffold(options, readNow(undefined, io.env));
  if (!rendered.ok) {
    io.stderr(renderDiagnostics(rendered.diagnostics, 'text', rendered.inputs));
    io.stderr('aac init: the options above give invalid access files; nothing was written\n');
    return EXIT.failed;
  }
  const createdRepository = await writeScaffold(dir, rendered.files, options.defaultBranch);
  const where = shown(io, dir);
  io.stdout(
    `${rendered.files.map((f) => `created ${relative(io.cwd, resolve(dir, f.path))}\n`).join('')}` +
      (createdRepository ? `initialised a git repository in ${where} (branch ${options.defaultBranch})\n` : '') +
      `\nAn access repository for ${org}, pinned to aac ${info.version}. Next:\n` +
      `  cd ${where}\n` +
      '  npm install --ignore-scripts   # the pinned aac, for npx aac and editor completion\n' +
      '  npx aac validate\n' +
      'Then replace the example person and system, and follow "For administrators" in README.md.\n',
  );
  return EXIT.ok;
}

function shown(io: CliIO, dir: string): string {
  return relative(io.cwd, dir) || '.';
}

/** A package name from the folder's name (`Access Repo` -> `access-repo`), or `access` when nothing is left. */
function packageNameFor(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name === '' ? 'access' : name;
}
