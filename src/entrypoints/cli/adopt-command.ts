import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isSeq, parseDocument } from 'yaml';
import { loadConfig } from '../../config.js';
import { hasErrors } from '../../core/diagnostics.js';
import { formatDay } from '../../core/model/time.js';
import { computeAdoption } from '../../core/plan/compute-adoption.js';
import type { Adoption } from '../../core/plan/compute-adoption.js';
import { computeDirectoryLayout } from '../../core/plan/directory-layout.js';
import { foldDn } from '../../core/plan/directory-names.js';
import { formatPersonFile } from '../../core/plan/format-person-file.js';
import { InputError, UsageError } from '../../errors.js';
import { loadAccessTree } from '../../services/load-access-tree.js';
import { openDirectory } from '../../services/reconcile/open-directory.js';
import { EXIT } from './cli-io.js';
import type { CliIO } from './cli-io.js';
import { readNow } from './read-now.js';
import { renderDiagnostics } from './validate-command.js';

export const ADOPT_HELP = `Usage: aac adopt [DIR] [--unmanaged] [--attest NAMES] [--justification TEXT] [--dry-run]

For a directory that already holds people no file declares (a first run would otherwise lock
them all): reads the directory and writes a person file under DIR/people/ for each undeclared
account, its group memberships turned into grants of the catalog's roles. Groups under the
groups OU that no role declares are added to reconcile.unmanaged in DIR/policy.yaml, so that
apply leaves them alone (it would empty them). Nothing is written to the directory.

  --unmanaged            do not write person files: add the undeclared accounts to
                         reconcile.unmanaged instead (the reconciler never touches them)
  --attest NAMES         comma-separated attestations (e.g. mfa,deviceCompliance) your
                         organisation states for every adopted person with grants; set to today.
                         Without them, roles whose risk requires attestations do not validate
  --justification TEXT   the justification of adopted grants (default: adopted on DATE)
  --dry-run              print what would be written, write nothing
  --directory SPEC       file:PATH for the embedded directory (default: LDAP from AAC_LDAP_URL)
  --now TIME             the date written into the files (ISO 8601); AAC_NOW does the same
  --no-history           do not read git history for retired uids and emails

Then review the files (names, types, managers, departments) and open a pull request: adopted
access goes through the gate like any other change. Entries that cannot be adopted (no mail,
an invalid uid, externals without org and sponsor) are listed; write them by hand or re-run with
--unmanaged. Exit status: 0 written and valid, 1 the files (or the result) have errors, or some
entries could not be adopted; 2 usage or configuration error.
`;

export async function runAdopt(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      unmanaged: { type: 'boolean', default: false },
      attest: { type: 'string' },
      justification: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      directory: { type: 'string' },
      now: { type: 'string' },
      'no-history': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(ADOPT_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new UsageError('adopt takes one directory');
  const attest = (values.attest ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  for (const name of attest)
    if (!/^[a-z][A-Za-z0-9_-]{0,62}$/.test(name))
      throw new UsageError(`--attest: "${name}" is not an attestation name`);
  const dir = resolve(io.cwd, positionals[0] ?? 'access');
  const now = readNow(values.now, io.env);
  const history = !values['no-history'];
  const loaded = await loadAccessTree(dir, { now, history, cwd: io.cwd });
  const policy = loaded.result.tree.policy;
  if (hasErrors(loaded.result.diagnostics) || !policy) {
    io.stdout(renderDiagnostics(loaded.result.diagnostics, 'text', loaded.files));
    io.stderr('aac adopt: the access files have errors; fix them first\n');
    return EXIT.failed;
  }
  const config = loadConfig(io.env);
  const layout = computeDirectoryLayout(
    policy.value.directory,
    values.directory === undefined ? config.ldap?.baseDn : undefined,
    policy.value.reconcile,
  );
  const directory = await openDirectory(values.directory, layout, config, io.cwd);
  let adoption: Adoption;
  try {
    const observed = await directory.read();
    adoption = computeAdoption(loaded.result.tree, observed, layout, {
      date: formatDay(now),
      attest,
      unmanaged: values.unmanaged,
      ...(values.justification !== undefined ? { justification: values.justification } : {}),
    });
  } finally {
    await directory.close();
  }
  const added = newUnmanaged(policy.value.reconcile.unmanaged, adoption.unmanaged);
  io.stdout(describeAdoption(adoption, added, dir, values['dry-run']));
  if (values['dry-run']) return adoption.notAdopted.length > 0 ? EXIT.failed : EXIT.ok;

  for (const adopted of adoption.people)
    writeFileSync(
      join(dir, 'people', `${adopted.person.uid}.yaml`),
      formatPersonFile(adopted.person, `Adopted from the directory on ${formatDay(now)}: ${adopted.dn}`),
      { flag: 'wx' },
    );
  if (added.length > 0) addUnmanaged(join(dir, 'policy.yaml'), added);

  const check = await loadAccessTree(dir, { now, history, cwd: io.cwd });
  if (hasErrors(check.result.diagnostics)) {
    io.stdout(renderDiagnostics(check.result.diagnostics, 'text', check.files));
    io.stderr(
      'aac adopt: the files are written but do not validate yet: fix the errors above (attestations the directory cannot know are typical: see --attest)\n',
    );
    return EXIT.failed;
  }
  io.stdout('The access files validate. Run `aac plan` to see what is left to do, then open a pull request.\n');
  return adoption.notAdopted.length > 0 ? EXIT.failed : EXIT.ok;
}

function describeAdoption(adoption: Adoption, added: readonly string[], dir: string, dryRun: boolean): string {
  const lines: string[] = [];
  const verb = dryRun ? 'would write' : 'wrote';
  for (const adopted of adoption.people) {
    const grants = adopted.person.grants.map((g) => `${g.system}/${g.role}`).join(', ');
    lines.push(
      `+ ${verb} people/${adopted.person.uid}.yaml (${adopted.dn}${grants ? `; ${grants}` : ''}${adopted.person.status === 'disabled' ? '; disabled: locked in the directory' : ''})`,
    );
    for (const note of adopted.remaining) lines.push(`  note: ${note}`);
  }
  for (const item of added) lines.push(`~ ${dryRun ? 'would add' : 'added'} reconcile.unmanaged: ${item}`);
  for (const skipped of adoption.notAdopted) lines.push(`! not adopted: ${skipped.dn}: ${skipped.reason}`);
  lines.push(
    `Adoption of ${dir}: ${adoption.people.length} person files, ${added.length} entries marked unmanaged (${adoption.undeclaredGroups.length} groups no role declares), ${adoption.notAdopted.length} entries not adopted.`,
  );
  return `${lines.join('\n')}\n`;
}

/** The items of `wanted` not yet in `existing` (DNs compared as the directory compares them). */
function newUnmanaged(existing: readonly string[], wanted: readonly string[]): string[] {
  const have = new Set(existing.map((e) => foldDn(e.trim())));
  const out: string[] = [];
  for (const item of wanted) {
    const key = foldDn(item);
    if (have.has(key)) continue;
    have.add(key);
    out.push(item);
  }
  return out;
}

/** Appends items to `reconcile.unmanaged` in policy.yaml, keeping its comments and layout. */
function addUnmanaged(path: string, items: readonly string[]): void {
  if (!existsSync(path)) throw new InputError(`${path} does not exist`);
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const current = doc.getIn(['reconcile', 'unmanaged'], true);
  if (isSeq(current)) for (const item of items) current.add(doc.createNode(item));
  else doc.setIn(['reconcile', 'unmanaged'], doc.createNode([...items]));
  writeFileSync(path, String(doc));
}
