import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/sample-tree.js';

const SRC = join(REPO_ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Rule ids ESLint reports for `code` as if it were the file `path` of this repository (the repository's own config). */
async function lintAs(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(REPO_ROOT, path) });
  expect(result).toBeDefined();
  return result!.messages.map((m) => m.ruleId ?? `(fatal) ${m.message}`);
}

describe('one place per concern', () => {
  it('no file in src/ but config.ts reads the environment', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50); // the walk found the sources
    const readers = files
      .filter((f) => relative(SRC, f) !== 'config.ts')
      .filter((f) => /process\.env|\benv\[['"`][A-Z]|\benv\.[A-Z][A-Z_]+\b/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(REPO_ROOT, f));
    expect(readers).toEqual([]);
  });

  it('the check above sees a read when there is one', () => {
    const pattern = /process\.env|\benv\[['"`][A-Z]|\benv\.[A-Z][A-Z_]+\b/;
    for (const text of ["process.env['X']", "io.env['AAC_NOW']", 'env.GITHUB_TOKEN'])
      expect(pattern.test(text)).toBe(true);
    expect(pattern.test("const env = Handlebars.create(); env['helpers']")).toBe(false);
  });
});

describe('imports go one way (ESLint, as npm test runs it)', () => {
  const core = 'src/core/plan/lint-probe.ts';
  it.each([
    ["import { FileDirectory } from '../../adapters/file/file-directory.js';", core],
    ["import { reconcile } from '../../services/reconcile/reconcile.js';", core],
    ["import { main } from '../../entrypoints/cli/main.js';", core],
    ["import { loadConfig } from '../../config.js';", core],
    ["import { GitError } from '../../errors.js';", core],
    ["import { readFileSync } from 'node:fs';", core],
    ["import { createHash } from 'crypto';", core],
    ["import { main } from '../../entrypoints/cli/main.js';", 'src/adapters/git/lint-probe.ts'],
    ["import { reconcile } from '../../services/reconcile/reconcile.js';", 'src/adapters/git/lint-probe.ts'],
    ["import { main } from '../../entrypoints/cli/main.js';", 'src/services/reconcile/lint-probe.ts'],
  ])('refuses %s in %s', async (line, path) => {
    expect(await lintAs(path, `${line}\nexport const probe = [${line.match(/\{ (\w+) \}/)![1]}];\n`)).toContain(
      'no-restricted-imports',
    );
  });

  it('is what npm test runs, over the whole repository', () => {
    const scripts = (
      JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts['test']).toMatch(/^npm run lint && /);
    expect(scripts['lint']).toBe('eslint .');
  });

  it('lets the core import the core, and the shell import anything below it', async () => {
    const probe = "import { computePlan } from './compute-plan.js';\nexport const probe = [computePlan];\n";
    expect(await lintAs(core, probe)).toEqual([]);
    const shell =
      "import { FileDirectory } from '../../adapters/file/file-directory.js';\nexport const probe = [FileDirectory];\n";
    expect(await lintAs('src/services/reconcile/lint-probe.ts', shell)).toEqual([]);
  });

  it('refuses the clock and the environment in the core', async () => {
    const rules = await lintAs(core, 'export const t = Date.now() + Number(process.env.X) + new Date().getTime();\n');
    expect(rules).toEqual(['no-restricted-properties', 'no-restricted-properties', 'no-restricted-syntax']);
  });
});
