import { describe, expect, it } from 'vitest';
import { computeFileChanges } from '../../src/core/policy/compute-file-changes.js';
import { isGovernedPath } from '../../src/core/policy/governed-paths.js';
import { evaluateScenario, review, sampleRepository, summary } from '../helpers/pull-request.js';
import { sampleFiles } from '../helpers/sample-tree.js';

// Attacks that change what the gate or the reconciler does without touching an access file: the
// whole repository is governed (everything but documentation), by the base branch's rules.
const REPO = sampleRepository();
const SAMPLE = sampleFiles();
const TOP = ['manager', 'department-head', 'it-security', 'ciso', 'code-owners'];
const OWNERS = ['kpatel-ciso', 'lena-lead'];
const onlyChange = (head: Record<string, string | null>, base: Record<string, string | null> = {}) => {
  const result = evaluateScenario({ baseRepo: base, headRepo: head, author: 'jsmith-ex' });
  return { result, change: result.changes[0]! };
};

describe('governance attacks: every path that changes what aac does needs the highest tier plus its code owners', () => {
  it.each([
    ['a workflow edited to print the directory secrets', '.github/workflows/reconcile.yml'],
    ['a new workflow that posts its own access-approvals check run', '.github/workflows/fake-check.yml'],
    ['an issue template that pre-fills a privileged request', '.github/ISSUE_TEMPLATE/access.yml'],
    ['a dependency swapped in package.json', 'package.json'],
    ['a lockfile pointing a package at another tarball', 'package-lock.json'],
    ['the evaluator’s own source patched', 'src/core/policy/compute-requirement.ts'],
    ['built code patched', 'dist/core/policy/compute-requirement.js'],
    ['the password mail template made to copy the password elsewhere', 'templates/temporary-password.hbs'],
    ['a schema loosened', 'schemas/person.schema.json'],
    ['a .gitattributes filter that rewrites the checkout', '.gitattributes'],
    ['a .gitattributes hidden inside the access folder', 'access/.gitattributes'],
    ['a submodule added', '.gitmodules'],
    ['the teams file of workflow mode', 'teams.json'],
    ['the app manifest', 'app.yml'],
    ['a script in a folder named like documentation', 'notes.md/run.sh'],
    ['a file nobody listed', 'tools/sync.py'],
  ])('%s (%s)', (_, path) => {
    const text = `${REPO[path] ?? ''}\n# changed\n`;
    const { result, change } = onlyChange({ [path]: text });
    expect(result.changes).toHaveLength(1);
    expect(change).toMatchObject({ subject: path, file: path, tier: 'privileged' });
    expect(change.levels.map((l) => l.level)).toEqual(TOP);
    expect(result.approved).toBe(false);
  });

  it('with every level approved by distinct people, a governed edit passes; documentation needs nothing', () => {
    const approved = evaluateScenario({
      headRepo: { '.github/workflows/reconcile.yml': `${REPO['.github/workflows/reconcile.yml']}\n# x\n` },
      author: 'jsmith-ex',
      reviews: ['mjohnson-ex', 'dwilliams-ex', 'alee-sec', 'kpatel-ciso', 'lena-lead'].map((l) => review(l)),
    });
    expect(approved.status).toBe('approved');
    const docs = evaluateScenario({
      headRepo: { 'README.md': `${REPO['README.md']}\nTypo fixed.\n`, 'docs/how.md': 'x' },
    });
    expect(docs.changes).toEqual([]);
    expect(docs.approved).toBe(true);
  });

  it('a pure rename of a governed file is never "no access changes", and the owners of the OLD path judge it', () => {
    const codeowners = `${REPO['.github/CODEOWNERS']}/.github/workflows/reconcile.yml  @tnguyen-ops\n`;
    const { result, change } = onlyChange(
      {
        '.github/workflows/reconcile.yml': null,
        '.github/workflows/renamed.yml': REPO['.github/workflows/reconcile.yml']!,
      },
      { '.github/CODEOWNERS': codeowners },
    );
    expect(result.changes).toHaveLength(1);
    expect(change).toMatchObject({
      kind: 'file-changed',
      fileStatus: 'renamed',
      file: '.github/workflows/renamed.yml',
      previousPath: '.github/workflows/reconcile.yml',
      tier: 'privileged',
    });
    expect(change.levels.find((l) => l.level === 'code-owners')!.candidates).toEqual(['tnguyen-ops']);
  });

  it('moving a workflow into docs/ is still a change of the governed path it leaves', () => {
    const { change } = onlyChange({
      '.github/workflows/reconcile.yml': null,
      'docs/reconcile.yml': REPO['.github/workflows/reconcile.yml']!,
    });
    expect(change).toMatchObject({ kind: 'file-changed', previousPath: '.github/workflows/reconcile.yml' });
  });

  it('a person file renamed from .yaml to .yml with nothing else changed is not "no access changes"', () => {
    const result = evaluateScenario({
      head: { 'access/people/jsmith.yaml': null, 'access/people/jsmith.yml': SAMPLE['access/people/jsmith.yaml']! },
    });
    expect(result.changes.map((c) => [c.kind, 'fileStatus' in c ? c.fileStatus : undefined, c.previousPath])).toEqual([
      ['file-changed', 'renamed', 'access/people/jsmith.yaml'],
    ]);
    expect(result.approved).toBe(false);
  });

  it('a second CODEOWNERS in a location GitHub reads later is governed too', () => {
    const { change } = onlyChange({ CODEOWNERS: '* @jsmith-ex\n' });
    expect(change).toMatchObject({ kind: 'codeowners-changed', file: 'CODEOWNERS', tier: 'privileged' });
    expect(change.levels.find((l) => l.level === 'code-owners')!.candidates).toEqual(OWNERS);
  });

  it('GitHub reads .github/CODEOWNERS first: a root CODEOWNERS in base does not decide the owners', () => {
    const result = evaluateScenario({
      baseRepo: { CODEOWNERS: '* @jsmith-ex\n' },
      headRepo: { 'src/x.ts': 'export {};\n' },
      author: 'mjohnson-ex',
    });
    expect(result.changes[0]!.levels.find((l) => l.level === 'code-owners')!.candidates).toEqual(OWNERS);
    const onlyRoot = evaluateScenario({
      baseRepo: { '.github/CODEOWNERS': null, CODEOWNERS: '* @tnguyen-ops\n' },
      headRepo: { 'src/x.ts': 'export {};\n' },
      author: 'mjohnson-ex',
    });
    expect(onlyRoot.changes[0]!.levels.find((l) => l.level === 'code-owners')!.candidates).toEqual(['tnguyen-ops']);
  });

  it('a file no CODEOWNERS rule names is judged by the policy owners, never by nobody', () => {
    const result = evaluateScenario({
      baseRepo: { '.github/CODEOWNERS': '/access/systems/crm.yaml @example/sales-ops\n' },
      headRepo: { 'tools/sync.py': 'print(1)\n' },
    });
    expect(result.changes[0]!.levels.find((l) => l.level === 'code-owners')!.candidates).toEqual(OWNERS);
  });

  it('the policy can add paths to govern; a pull request removing them is still judged by the base policy', () => {
    const governing = SAMPLE['access/policy.yaml']!.replace(
      'tombstones:',
      'governance:\n  paths: [/docs/runbooks/]\n\ntombstones:',
    );
    const result = evaluateScenario({
      base: { 'access/policy.yaml': governing },
      head: { 'access/policy.yaml': SAMPLE['access/policy.yaml']! },
      headRepo: { 'docs/runbooks/restore.md': 'Restore from backup.\n' },
    });
    const runbook = result.changes.find((c) => c.file === 'docs/runbooks/restore.md')!;
    expect(summary(runbook)).toMatchObject({ kind: 'file-changed', tier: 'privileged' });
    expect(result.changes.find((c) => c.kind === 'policy-changed')).toBeDefined();
  });

  it('the built-in list cannot be narrowed: a policy only adds to it', () => {
    for (const path of ['.github/workflows/x.yml', 'package.json', 'src/a.ts', '.gitattributes', 'x/.gitmodules'])
      expect(isGovernedPath(path, { accessDir: 'access' }, [])).toBe(true);
  });

  it('making a script executable, or a file a symbolic link, is a change even with the same contents', () => {
    const base = new Map([['scripts/run.sh', '100644 aaaa']]);
    const head = new Map([['scripts/run.sh', '100755 aaaa']]);
    const changes = computeFileChanges(base, head, {
      accessDir: 'access',
      schemasDir: 'schemas',
      extra: [],
      accessChanges: [],
    });
    expect(changes).toMatchObject([{ kind: 'file-changed', file: 'scripts/run.sh', fileStatus: 'modified' }]);
  });
});
