import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/core/policy/compute-comment-view.js';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { SAMPLE_TEAMS } from '../helpers/pull-request.js';
import { runCli } from '../helpers/run-cli.js';
import { REPO_ROOT, SAMPLE_DIR } from '../helpers/sample-tree.js';

const NOW = ['--now', '2026-11-22T12:00:00Z'];
const JSMITH = 'access/people/jsmith.yaml';
const GRANT = '  - system: project-tools\n    role: member\n    justification: Joins the onboarding project.\n';

let repo: GitRepo;
let headSha: string;
let oldSha: string;
beforeAll(() => {
  repo = createGitRepo({ withSample: SAMPLE_DIR });
  cpSync(join(REPO_ROOT, 'schemas'), join(repo.dir, 'schemas'), { recursive: true });
  repo.write('.github/CODEOWNERS', readFileSync(join(REPO_ROOT, '.github/CODEOWNERS'), 'utf8'));
  repo.write('teams.json', JSON.stringify(SAMPLE_TEAMS));
  repo.commit('sample');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.write(JSMITH, `${readFileSync(join(repo.dir, JSMITH), 'utf8')}${GRANT.replace('Joins', 'Joined')}`);
  oldSha = repo.commit('first try');
  repo.write(JSMITH, `${readFileSync(join(SAMPLE_DIR, 'people/jsmith.yaml'), 'utf8')}${GRANT}`);
  headSha = repo.commit('give jsmith project-tools');
});
afterAll(() => repo.cleanup());

function reviews(name: string, list: Array<{ login: string; state: string; commit: string }>): string {
  const path = join(repo.dir, name);
  writeFileSync(
    path,
    JSON.stringify(
      list.map((r, i) => ({
        id: i + 1,
        user: { login: r.login, type: 'User' },
        state: r.state,
        commit_id: r.commit,
        submitted_at: `2026-11-22T10:0${i}:00Z`,
        body: '',
      })),
    ),
  );
  return path;
}

describe('aac evaluate (real git repository)', () => {
  it('--format json: the change, its tier and the missing level, exit 1', async () => {
    const run = await runCli(
      ['evaluate', '--base', 'main', '--head', 'feature', '--author', 'jsmith-ex', '--format', 'json', ...NOW],
      { cwd: repo.dir },
    );
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(json).toEqual({
      approved: false,
      changes: [
        {
          kind: 'grant-added',
          subject: 'jsmith',
          file: JSMITH,
          line: expect.any(Number),
          tier: 'standard',
          blocked: [],
          levels: [{ level: 'manager', satisfiedBy: null, candidates: ['mjohnson-ex'] }],
        },
      ],
      diagnostics: [],
    });
    expect(readFileSync(join(repo.dir, JSMITH), 'utf8').split('\n')[json.changes[0].line - 1]).toBe(
      '  - system: project-tools',
    );
  });

  it('an approval of the head commit from the GitHub reviews JSON approves, exit 0', async () => {
    const file = reviews('ok.json', [{ login: 'mjohnson-ex', state: 'APPROVED', commit: headSha }]);
    const run = await runCli(
      [
        'evaluate',
        '--base',
        'main',
        '--head',
        'feature',
        '--author',
        'jsmith-ex',
        '--reviews',
        file,
        '--teams',
        'teams.json',
        ...NOW,
      ],
      { cwd: repo.dir },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('manager: approved by mjohnson-ex');
  });

  it('an approval of an older commit does not count', async () => {
    const file = reviews('old.json', [{ login: 'mjohnson-ex', state: 'APPROVED', commit: oldSha }]);
    const run = await runCli(
      ['evaluate', '--base', 'main', '--head', headSha, '--reviews', file, '--format', 'json', ...NOW],
      { cwd: repo.dir },
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).changes[0].levels[0].satisfiedBy).toBeNull();
  });

  it('--format markdown renders the pull-request comment with its marker', async () => {
    const run = await runCli(['evaluate', '--base', 'main', '--head', 'feature', '--format', 'markdown', ...NOW], {
      cwd: repo.dir,
    });
    expect(run.code).toBe(1);
    expect(run.stdout.startsWith(COMMENT_MARKER)).toBe(true);
    expect(run.stdout).toContain('@mjohnson-ex');
  });

  it('the same ref on both sides changes nothing and is approved', async () => {
    const run = await runCli(['evaluate', '--base', 'main', '--head', 'main', '--format', 'json', ...NOW], {
      cwd: repo.dir,
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ approved: true, changes: [], diagnostics: [] });
  });

  it.each([
    [['evaluate', '--head', 'feature']],
    [['evaluate', '--base', 'main', '--head', 'feature', '--format', 'xml']],
    [['evaluate', '--base', 'main', '--head', 'no-such-branch']],
    [['evaluate', '--base', 'main', '--head', 'feature', '--reviews', 'missing.json']],
    [['evaluate', '--base', 'main', '--head', 'feature', '--teams', 'access/policy.yaml']],
    [['evaluate', '--base', 'main', '--head', 'feature', '--bogus']],
  ])('usage and input errors exit 2: %j', async (args) => {
    const run = await runCli(args, { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });
});

describe('aac evaluate reads git objects, never a checkout', () => {
  it('a .gitattributes smudge filter that rewrites the checkout changes nothing judged, and is itself a governed change', async () => {
    const r = createGitRepo({ withSample: SAMPLE_DIR });
    try {
      r.write('.github/CODEOWNERS', readFileSync(join(REPO_ROOT, '.github/CODEOWNERS'), 'utf8'));
      r.commit('sample');
      r.git('checkout', '-q', '-b', 'feature');
      r.git('config', 'filter.evil.smudge', 'sed s/role:\\ member/role:\\ admin/');
      r.git('config', 'filter.evil.clean', 'cat');
      r.write('.gitattributes', 'access/** filter=evil\n');
      r.write(JSMITH, `${readFileSync(join(SAMPLE_DIR, 'people/jsmith.yaml'), 'utf8')}${GRANT}`);
      r.commit('member, with a filter');
      // A fresh checkout runs the smudge filter: the working tree now says admin.
      rmSync(join(r.dir, JSMITH));
      r.git('checkout', '-q', '--', JSMITH);
      expect(readFileSync(join(r.dir, JSMITH), 'utf8')).toContain('role: admin');
      const run = await runCli(['evaluate', '--base', 'main', '--head', 'feature', '--format', 'json', ...NOW], {
        cwd: r.dir,
      });
      const json = JSON.parse(run.stdout) as { changes: Array<{ kind: string; subject: string; grant?: unknown }> };
      expect(json.changes.map((c) => [c.kind, c.subject])).toEqual([
        ['grant-added', 'jsmith'],
        ['file-changed', '.gitattributes'],
      ]);
      expect(run.stdout).not.toContain('admin');
    } finally {
      r.cleanup();
    }
  });
});

describe('aac codeowners', () => {
  it('writes the file, --check passes, then fails after a system changes its owners', async () => {
    const r = createGitRepo({ withSample: SAMPLE_DIR });
    try {
      expect((await runCli(['codeowners', '--check'], { cwd: r.dir })).code).toBe(1);
      expect((await runCli(['codeowners'], { cwd: r.dir })).code).toBe(0);
      expect(readFileSync(join(r.dir, '.github/CODEOWNERS'), 'utf8')).toBe(
        readFileSync(join(REPO_ROOT, '.github/CODEOWNERS'), 'utf8'),
      );
      expect((await runCli(['codeowners', '--check'], { cwd: r.dir })).code).toBe(0);
      r.write(
        'access/systems/crm.yaml',
        readFileSync(join(SAMPLE_DIR, 'systems/crm.yaml'), 'utf8').replace(
          'owners: [example/sales-ops]',
          'owners: [example/sales-ops, someone]',
        ),
      );
      const stale = await runCli(['codeowners', '--check'], { cwd: r.dir });
      expect(stale.code).toBe(1);
      expect(readFileSync(join(r.dir, '.github/CODEOWNERS'), 'utf8')).not.toContain('@someone');
    } finally {
      r.cleanup();
    }
  });

  it('the repository CODEOWNERS is the generated one', async () => {
    expect((await runCli(['codeowners', '--check'], { cwd: REPO_ROOT })).code).toBe(0);
  });
});
