import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileDirectory } from '../../src/adapters/file/file-directory.js';
import { applyPlan } from '../../src/services/reconcile/apply-plan.js';
import { planFor, SAMPLE_LAYOUT, testPassword } from '../helpers/reconcile.js';
import { NOW, sampleFiles } from '../helpers/sample-tree.js';

let work: string;
beforeEach(() => void (work = mkdtempSync(join(tmpdir(), 'aac-file-directory-'))));
afterEach(() => rmSync(work, { recursive: true, force: true }));

const open = (path: string): FileDirectory => new FileDirectory(path, SAMPLE_LAYOUT, { now: () => NOW });

describe('the embedded file directory saves once per apply, atomically', () => {
  it('leaves the file untouched while an apply runs, then holds every write after it', async () => {
    const path = join(work, 'directory.json');
    const directory = open(path);
    const plan = planFor({}, await directory.read());
    const seenDuring: boolean[] = [];
    const results = await applyPlan(plan, {
      directory,
      generatePassword: testPassword,
      // Called after each account is created: the file must not have been written yet.
      onAccountCreated: async () => void seenDuring.push(existsSync(path)),
    });
    expect(seenDuring.length).toBeGreaterThan(10);
    expect(seenDuring.every((written) => !written)).toBe(true);
    expect(results.every((r) => r.status === 'done')).toBe(true);

    const reopened = open(path);
    expect(planFor({}, await reopened.read()).actions).toEqual([]);
    expect(readdirSync(work)).toEqual(['directory.json']);
  });

  it('a save that fails reports every write as failed and keeps the previous file whole', async () => {
    const path = join(work, 'directory.json');
    const first = open(path);
    await applyPlan(planFor({ 'access/people/jsmith.yaml': null }, await first.read()), {
      directory: first,
      generatePassword: testPassword,
    });
    const before = readFileSync(path, 'utf8');

    const second = open(path);
    const plan = planFor({}, await second.read());
    expect(plan.actions.length).toBeGreaterThan(0);
    // The rename target becomes a folder that is not empty: renaming the new file over it fails.
    rmSync(path);
    mkdirSync(join(path, 'occupied'), { recursive: true });
    const results = await applyPlan(plan, { directory: second, generatePassword: testPassword });
    expect(new Set(results.map((r) => r.status))).toEqual(new Set(['failed']));
    expect(results[0]!.error?.code).toBe('save-failed');
    expect(readdirSync(work)).toEqual(['directory.json']);
    expect(readdirSync(path)).toEqual(['occupied']);

    // Put the old file back: a fresh run plans the same work again (nothing was half-saved).
    rmSync(path, { recursive: true });
    writeFileSync(path, before);
    expect(planFor({}, await open(path).read()).actions).toEqual(plan.actions);
  });

  it('refuses a corrupt file before anything is planned', () => {
    const path = join(work, 'directory.json');
    writeFileSync(path, '{"accounts": [');
    expect(() => open(path)).toThrow(expect.objectContaining({ code: 'file-corrupt' }));
  });

  it('keeps group members right through renames and deletions, and stores only salted password hashes', async () => {
    const path = join(work, 'directory.json');
    const passwords: string[] = [];
    const generatePassword = (): string => (passwords.push(testPassword()), passwords.at(-1)!);
    const run = async (changes: Record<string, string | null>): Promise<void> => {
      const directory = open(path);
      await applyPlan(planFor(changes, await directory.read()), { directory, generatePassword });
      expect(planFor(changes, await open(path).read()).actions).toEqual([]);
    };
    await run({});
    const renamed = {
      'access/people/jsmith.yaml': null,
      'access/people/jsmith2.yaml': sampleFiles()['access/people/jsmith.yaml']!.replace('uid: jsmith', 'uid: jsmith2'),
    };
    await run(renamed);
    const members = (): string[] =>
      (JSON.parse(readFileSync(path, 'utf8')) as { groups: Array<{ name: string; members: string[] }> }).groups.find(
        (g) => g.name === 'crm-sales-reps',
      )!.members;
    expect(members()).toContain('uid=jsmith2,ou=people,dc=example,dc=org');
    expect(members()).not.toContain('uid=jsmith,ou=people,dc=example,dc=org');
    await run({
      ...renamed,
      'access/people/jsmith2.yaml': renamed['access/people/jsmith2.yaml'].replace('status: active', 'status: deleted'),
    });
    expect(members().some((m) => m.includes('jsmith'))).toBe(false);

    const stored = readFileSync(path, 'utf8');
    expect(passwords.length).toBeGreaterThan(0);
    for (const p of passwords) expect(stored).not.toContain(p);
    const hashes = (JSON.parse(stored) as { accounts: Array<{ passwordHash: string }> }).accounts.map(
      (a) => a.passwordHash,
    );
    expect(hashes.every((h) => /^sha256\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/.test(h))).toBe(true);
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});
