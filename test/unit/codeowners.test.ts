import { describe, expect, it } from 'vitest';
import { computeCodeowners, DEFAULT_LAYOUT } from '../../src/core/policy/compute-codeowners.js';
import { isGovernedPath } from '../../src/core/policy/governed-paths.js';
import { escapeCodeownersPath, findCodeowners, parseCodeowners } from '../../src/core/policy/parse-codeowners.js';
import { sampleFiles, validateWith } from '../helpers/sample-tree.js';

describe('parseCodeowners / findCodeowners (GitHub rules)', () => {
  const cases: Array<[pattern: string, path: string, matches: boolean]> = [
    ['*', 'any/file.txt', true],
    ['*.js', 'src/deep/app.js', true],
    ['*.js', 'src/app.jsx', false],
    ['/build/logs/', 'build/logs/a/b.log', true],
    ['/build/logs/', 'x/build/logs/a.log', false],
    ['docs/*', 'docs/getting-started.md', true],
    ['docs/*', 'docs/build-app/troubleshooting.md', false],
    ['apps/', 'deep/apps/x.ts', true],
    ['/docs/', 'docs/a.md', true],
    ['**/logs', 'a/b/logs/x.log', true],
    ['**/logs', 'logs/x.log', true],
    ['docs/**', 'docs/a/b/c.md', true],
    ['/scripts', 'scripts/run.sh', true],
    ['/access/policy.yaml', 'access/policy.yaml', true],
    ['/access/policy.yaml', 'x/access/policy.yaml', false],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**/b', 'a/b', true],
    // A wildcard in the last segment that is not a lone `*` still matches what is below it.
    ['f*', 'foo/bar/baz', true],
    ['f*', 'bar/foo/baz', true],
    ['/f*', 'bar/foo', false],
    ['foo/*', 'foo/bar', true],
    ['foo/*', 'foo/bar/baz', false],
    ['foo/*.txt', 'foo/bar.txt', true],
    ['foo/*.txt', 'foo/bar/baz.txt', false],
    ['foo/*/baz', 'foo/bar/baz/qux', true],
    ['/*', 'foo', true],
    ['/*', 'foo/bar', false],
    ['*', 'deep/nested/file', true],
    // `**` inside a segment is two ordinary asterisks: it does not cross a slash.
    ['foo**bar', 'fooXbar', true],
    ['foo**bar', 'foo/x/bar', false],
    ['/a**z/', 'abz/file', true],
    ['/a**z/', 'a/b/z/file', false],
    ['**/*bar*', 'foo/qux/rebar', true],
    ['foo/**/bar/b*', 'foo/qux/bar/baz', true],
    ['foo/**/bar/b*', 'foo/qux/bar/qux', false],
    // Escapes: a space, a literal wildcard.
    ['/my\\ access/policy.yaml', 'my access/policy.yaml', true],
    ['f\\*o', 'foo', false],
    ['f\\*o', 'f*o', true],
    ['f?o', 'fo', false],
  ];
  it.each(cases)('%s on %s -> %s', (pattern, path, matches) => {
    const { rules } = parseCodeowners(`${pattern} @owner\n`);
    expect(findCodeowners(rules, path)).toEqual(matches ? ['@owner'] : []);
  });

  it('the last matching pattern wins, and a pattern without owners unowns', () => {
    const { rules } = parseCodeowners(
      '# comment\n*  @everyone\n/access/  @org/team  @user # trailing\n/access/people/\n',
    );
    expect(findCodeowners(rules, 'README.md')).toEqual(['@everyone']);
    expect(findCodeowners(rules, 'access/systems/crm.yaml')).toEqual(['@org/team', '@user']);
    expect(findCodeowners(rules, 'access/people/jsmith.yaml')).toEqual([]);
  });

  it('reports the lines GitHub would not use, with their line numbers', () => {
    const { rules, problems } = parseCodeowners(
      '!negated @a\n[abc].txt @a\nok.txt not-a-handle\n\\#hash @a\nfile\\#x @a\nfine.txt @a\n',
    );
    expect(problems).toEqual([
      { line: 1, reason: 'negation' },
      { line: 2, reason: 'character-range' },
      { line: 3, reason: 'bad-owner' },
      { line: 4, reason: 'escaped-hash' },
      { line: 5, reason: 'escaped-hash' },
    ]);
    // GitHub: escaping a # does not work, so no rule may be read from those lines.
    expect(rules.map((r) => [r.pattern, r.line])).toEqual([['fine.txt', 6]]);
    expect(findCodeowners(rules, '#hash')).toEqual([]);
  });

  it('owners may be Enterprise Managed Users (login_shortcode), teams or e-mail addresses', () => {
    const { rules, problems } = parseCodeowners('*.yaml @jsmith_acme @acme/access-team ops@example.org\n');
    expect(problems).toEqual([]);
    expect(findCodeowners(rules, 'access/policy.yaml')).toEqual([
      '@jsmith_acme',
      '@acme/access-team',
      'ops@example.org',
    ]);
  });
});

describe('computeCodeowners', () => {
  it('gives the policy owners the governance files, each system its owners, and the external level orgs/', () => {
    const { rules } = parseCodeowners(computeCodeowners(validateWith().tree));
    expect(findCodeowners(rules, 'access/policy.yaml')).toEqual(['@example/security-leads']);
    expect(findCodeowners(rules, 'schemas/person.schema.json')).toEqual(['@example/security-leads']);
    expect(findCodeowners(rules, '.github/CODEOWNERS')).toEqual(['@example/security-leads']);
    expect(findCodeowners(rules, 'access/systems/crm.yaml')).toEqual(['@example/sales-ops']);
    expect(findCodeowners(rules, 'access/systems/new-system.yaml')).toEqual(['@example/security-leads']);
    expect(findCodeowners(rules, 'access/orgs/globex.yaml')).toEqual(['@example/access-approvers']);
    expect(findCodeowners(rules, 'access/people/jsmith.yaml')).toEqual([]);
  });

  it('writes a rule for every governed path and leaves exactly the ungoverned ones (documentation) unowned', () => {
    const { rules, problems } = parseCodeowners(computeCodeowners(validateWith().tree));
    expect(problems).toEqual([]);
    const paths = [
      '.github/workflows/reconcile.yml',
      '.github/ISSUE_TEMPLATE/access.yml',
      '.github/pull_request_template.md',
      'package.json',
      'package-lock.json',
      'src/core/policy/x.ts',
      'dist/index.js',
      'templates/pull-request-comment.md.hbs',
      'templates/README.md',
      '.gitattributes',
      'access/.gitattributes',
      '.gitmodules',
      'teams.json',
      'tools/anything.py',
      'CODEOWNERS',
      'docs/CODEOWNERS',
      'access/README.md',
      'README.md',
      'docs/guide.md',
      'docs/diagram.svg',
      'LICENSE',
      'CHANGELOG.md',
      'notes/plan.md',
    ];
    for (const path of paths) {
      const owned = findCodeowners(rules, path).length > 0;
      expect(owned, path).toBe(isGovernedPath(path, { accessDir: 'access' }));
    }
  });

  it('adds back what the policy governs beyond the built-in list', () => {
    const policy = sampleFiles()['access/policy.yaml']!.replace(
      'tombstones:',
      'governance:\n  paths: [/docs/runbooks/]\n\ntombstones:',
    );
    const tree = validateWith({ 'access/policy.yaml': policy }).tree;
    const { rules } = parseCodeowners(computeCodeowners(tree));
    expect(findCodeowners(rules, 'docs/runbooks/restore.md')).toEqual(['@example/security-leads']);
    expect(findCodeowners(rules, 'docs/guide.md')).toEqual([]);
  });

  it('escapes paths GitHub would otherwise split (`aac codeowners "my access"`)', () => {
    const text = computeCodeowners(validateWith().tree, { ...DEFAULT_LAYOUT, accessDir: 'my access' });
    expect(text).toContain('/my\\ access/systems/crm.yaml');
    const { rules, problems } = parseCodeowners(text);
    expect(problems).toEqual([]);
    expect(findCodeowners(rules, 'my access/systems/crm.yaml')).toEqual(['@example/sales-ops']);
    expect(findCodeowners(rules, 'my access/people/jsmith.yaml')).toEqual([]);
    expect(escapeCodeownersPath('/a#b/[x]*?')).toBe('/a?b/\\[x\\]\\*\\?');
  });
});
