import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { findRepositoryRoot } from '../../adapters/git/run-git.js';
import { hasErrors } from '../../core/diagnostics.js';
import { computeCodeowners } from '../../core/policy/compute-codeowners.js';
import { UsageError } from '../../errors.js';
import { loadAccessTree } from '../../services/load-access-tree.js';
import { resolveAccessDir } from '../../adapters/fs/find-access-dir.js';
import { EXIT } from './cli-io.js';
import type { CliIO } from './cli-io.js';
import { readNow } from './read-now.js';
import { renderDiagnostics } from './validate-command.js';

export const CODEOWNERS_HELP = `Usage: aac codeowners [DIR] [--check] [--output FILE]

Writes .github/CODEOWNERS with a rule for everything the approval gate governs: the policy's
\`owners\` own the repository (all but documentation, plus \`governance.paths\`), the external
approval level owns orgs/, each system's \`owners\` own its file, people files have none (DIR
defaults to access; the file goes to the repository root).

  --check         write nothing; exit 1 when the file differs from what would be written
  --output FILE   write (or check) FILE instead of <repository>/.github/CODEOWNERS

Exit status: 0 written or up to date, 1 out of date or the access files have errors, 2 usage.
`;

export async function runCodeowners(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      check: { type: 'boolean', default: false },
      output: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(CODEOWNERS_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new UsageError('codeowners takes one directory');
  const dir = resolveAccessDir(positionals[0], io.cwd);
  const repo = (await findRepositoryRoot(dir)) ?? dirname(dir);
  const output = values.output === undefined ? resolve(repo, '.github', 'CODEOWNERS') : resolve(io.cwd, values.output);

  const { result, files } = await loadAccessTree(dir, {
    now: readNow(undefined, io.env),
    history: false,
    cwd: io.cwd,
  });
  if (hasErrors(result.diagnostics)) {
    io.stderr(renderDiagnostics(result.diagnostics, 'text', files));
    return EXIT.failed;
  }
  const fromRepo = (path: string): string => relative(repo, path).split(sep).join('/');
  const text = computeCodeowners(result.tree, {
    accessDir: fromRepo(dir),
    schemasDir: 'schemas',
    codeownersPath: fromRepo(output),
  });
  const shown = relative(io.cwd, output) || output;
  const current = existsSync(output) ? readFileSync(output, 'utf8') : undefined;
  if (values.check) {
    if (current === text) {
      io.stdout(`${shown} is up to date\n`);
      return EXIT.ok;
    }
    io.stderr(
      `${shown} ${current === undefined ? 'is missing' : 'is out of date'}; run \`aac codeowners\` and commit the result\n`,
    );
    return EXIT.failed;
  }
  if (current !== text) {
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, text);
  }
  io.stdout(`${shown} ${current === text ? 'is up to date' : 'written'}\n`);
  return EXIT.ok;
}
