import { readFileSync } from 'node:fs';
import { loadSchemas } from '../../adapters/fs/load-schemas.js';
import { renderTextTemplate, TEMPLATES_DIR } from '../../adapters/render/render-template.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import { hasErrors } from '../../core/diagnostics.js';
import { computeCodeowners } from '../../core/policy/compute-codeowners.js';
import { createSchemaChecker } from '../../core/validate/schema-diagnostics.js';
import { validateAccessTree } from '../../core/validate/validate-access-tree.js';
import type { InputFile } from '../../core/validate/validate-access-tree.js';
import { stringify } from '../../vendor/yaml.js';

/** What `aac init` fills in. Every value is checked by `checkScaffoldOptions` before use. */
export interface ScaffoldOptions {
  /** The GitHub organisation whose teams the policy and CODEOWNERS name, e.g. `example`. */
  org: string;
  /** The directory's base DN, e.g. `dc=example,dc=org`. */
  baseDn: string;
  flavor: 'openldap' | 'active-directory';
  /** The aac release the workflows and package.json pin, e.g. `0.1.0`. */
  version: string;
  /** `owner/name` of aac's repository, for `uses: owner/name@vX`. */
  actionRepo: string;
  /** The protected branch the workflows run on, e.g. `main`. */
  defaultBranch: string;
  /** package.json `name` of the access repository. */
  packageName: string;
}

/** One file of the new repository, by its path from the repository root. */
export interface ScaffoldFile {
  path: string;
  content: string;
}

/** The example person: an example on purpose, without a GitHub login, so it can approve nothing until replaced. */
const EXAMPLE_PERSON = { uid: 'jdoe', name: 'Jane Doe', email: 'jane.doe@example.org' };

/** Templates under templates/init/ and where each goes; `.hbs` ones are rendered, the others copied. */
const FILES: ReadonlyArray<readonly [template: string, path: string]> = [
  ['access/policy.yaml.hbs', 'access/policy.yaml'],
  ['access/systems/wiki.yaml.hbs', 'access/systems/wiki.yaml'],
  ['access/people/person.yaml.hbs', `access/people/${EXAMPLE_PERSON.uid}.yaml`],
  ['github/workflows/access-validate.yml.hbs', '.github/workflows/access-validate.yml'],
  ['github/workflows/access-approvals.yml.hbs', '.github/workflows/access-approvals.yml'],
  ['github/workflows/access-reconcile.yml.hbs', '.github/workflows/access-reconcile.yml'],
  ['github/ISSUE_TEMPLATE/access-request.yml', '.github/ISSUE_TEMPLATE/access-request.yml'],
  ['vscode/settings.json.hbs', '.vscode/settings.json'],
  ['vscode/extensions.json.hbs', '.vscode/extensions.json'],
  ['gitignore.hbs', '.gitignore'],
  ['package.json.hbs', 'package.json'],
  ['README.md.hbs', 'README.md'],
];

export const CODEOWNERS_PATH = '.github/CODEOWNERS';

/** Every path `aac init` writes, so that it can refuse before writing any when one exists. */
export function scaffoldPaths(): string[] {
  return [...FILES.map(([, path]) => path), CODEOWNERS_PATH];
}

const PATTERNS: ReadonlyArray<readonly [keyof ScaffoldOptions, RegExp, string]> = [
  ['org', /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'a GitHub organisation name such as "example"'],
  ['version', /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'an exact release such as 1.2.3'],
  ['actionRepo', /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'owner/name'],
  ['defaultBranch', /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/, 'a branch name such as main'],
  ['packageName', /^[a-z0-9][a-z0-9._-]{0,213}$/, 'an npm package name'],
];

/** Problems with the options, as `--flag: must be ...` messages (empty when all are fine). */
export function checkScaffoldOptions(options: ScaffoldOptions): string[] {
  return PATTERNS.flatMap(([key, pattern, what]) =>
    pattern.test(options[key]) ? [] : [`${key} must be ${what}, not ${JSON.stringify(options[key])}`],
  );
}

export type RenderedScaffold =
  | { ok: true; files: ScaffoldFile[] }
  /** The rendered access files do not validate (a base DN the schema refuses, say): nothing to write. */
  | { ok: false; diagnostics: Diagnostic[]; inputs: InputFile[] };

/**
 * Renders the new repository in memory, validates its access files with the same rules as
 * `aac validate`, and generates CODEOWNERS from them, so that what `aac init` writes is valid.
 * @example renderScaffold({ org: 'example', baseDn: 'dc=example,dc=org', flavor: 'openldap', ... }, Date.now())
 */
export function renderScaffold(options: ScaffoldOptions, now: number): RenderedScaffold {
  const view = {
    ...options,
    baseDn: yamlScalar(options.baseDn),
    person: EXAMPLE_PERSON,
  };
  const files: ScaffoldFile[] = FILES.map(([template, path]) => ({
    path,
    content: template.endsWith('.hbs')
      ? renderTextTemplate(`init/${template}`, view)
      : readFileSync(`${TEMPLATES_DIR}init/${template}`, 'utf8'),
  }));
  const inputs: InputFile[] = files.filter((f) => f.path.startsWith('access/'));
  const result = validateAccessTree({
    root: 'access',
    files: inputs,
    checkSchema: createSchemaChecker(loadSchemas()),
    now,
  });
  if (hasErrors(result.diagnostics)) return { ok: false, diagnostics: result.diagnostics, inputs };
  const codeowners = computeCodeowners(result.tree, {
    accessDir: 'access',
    schemasDir: 'schemas',
    codeownersPath: CODEOWNERS_PATH,
  });
  return { ok: true, files: [...files, { path: CODEOWNERS_PATH, content: codeowners }] };
}

/**
 * A value as one YAML scalar on one line: plain when yaml would write it plain, else double
 * quoted (JSON's string syntax is YAML's), so no value can add keys or lines of its own.
 */
function yamlScalar(value: string): string {
  const plain = stringify(value).trimEnd();
  return plain === value ? plain : JSON.stringify(value);
}
