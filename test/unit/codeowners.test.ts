import { describe, expect, it } from 'vitest';
import { computeCodeowners } from '../../src/core/policy/compute-codeowners.js';
import { findCodeowners, parseCodeowners } from '../../src/core/policy/parse-codeowners.js';
import { validateWith } from '../helpers/sample-tree.js';

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
    const { rules, problems } = parseCodeowners('!negated @a\n[abc].txt @a\nok.txt not-a-handle\n\\#hash @a\n');
    expect(problems).toEqual([
      { line: 1, reason: 'negation' },
      { line: 2, reason: 'character-range' },
      { line: 3, reason: 'bad-owner' },
    ]);
    expect(rules.map((r) => [r.pattern, r.line])).toEqual([['\\#hash', 4]]);
    expect(findCodeowners(rules, '#hash')).toEqual(['@a']);
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
});
