import { Attribute, Change, Client, InvalidCredentialsError } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../helpers/reconcile-workspace.js';
import type { ReconcileWorkspace } from '../helpers/reconcile-workspace.js';
import { startSlapd } from '../helpers/slapd.mjs';
import type { Slapd } from '../helpers/slapd.mjs';

// A lock the directory set itself (ppolicy after failed binds), or one an administrator set, is
// never lifted by the reconciler; only the locks aac set (and recorded in its audit log) are.
let slapd: Slapd;
let work: ReconcileWorkspace;
let admin: Client;
const PASSWORD = 'Known-Password-2026';
const dnOf = (uid: string): string => `uid=${uid},${slapd.peopleDn}`;

beforeAll(async () => {
  slapd = await startSlapd({ policy: { pwdMaxFailure: '5' } });
  work = createWorkspace(slapd);
  expect((await work.apply()).code).toBe(0);
  admin = await slapd.client();
  // jsmith and alee have set their own password (so no temporary password is pending).
  for (const uid of ['jsmith', 'alee'])
    await admin.modify(dnOf(uid), [
      new Change({ operation: 'replace', modification: new Attribute({ type: 'userPassword', values: [PASSWORD] }) }),
      new Change({ operation: 'delete', modification: new Attribute({ type: 'pwdReset', values: [] }) }),
    ]);
});
afterAll(async () => {
  await admin?.unbind();
  work?.close();
  await slapd?.stop();
});

async function bind(uid: string, password: string): Promise<boolean> {
  const client = new Client({ url: slapd.url });
  try {
    await client.bind(dnOf(uid), password);
    return true;
  } catch (error) {
    if (error instanceof InvalidCredentialsError) return false;
    throw error;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

async function lockOf(uid: string): Promise<unknown> {
  const { searchEntries } = await admin.search(dnOf(uid), { scope: 'base', attributes: ['pwdAccountLockedTime'] });
  return searchEntries[0]?.['pwdAccountLockedTime'];
}

describe('security lockouts', () => {
  it('five failed binds lock the account, and apply does not lift it', async () => {
    expect(await bind('jsmith', PASSWORD)).toBe(true);
    for (let i = 0; i < 5; i++) expect(await bind('jsmith', 'a-guess')).toBe(false);
    const locked = await lockOf('jsmith');
    expect(locked).toMatch(/^\d{14}Z$/);
    expect(await bind('jsmith', PASSWORD)).toBe(false);

    const run = await work.apply();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('account jsmith is locked by the directory after failed binds');
    expect(run.stdout).not.toMatch(/unlock account jsmith/);
    expect(await lockOf('jsmith')).toBe(locked);
    expect(await bind('jsmith', PASSWORD)).toBe(false);
    // The next plan has nothing to do, and still says so.
    const plan = await work.plan('--exit-code');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('locked by the directory after failed binds');
    // Another five guesses the next hour find the account still locked: no more guessing per run.
    for (let i = 0; i < 5; i++) expect(await bind('jsmith', 'another-guess')).toBe(false);
    expect((await work.apply()).code).toBe(0);
    expect(await lockOf('jsmith')).toBe(locked);
  });

  it("disabling a locked-out person replaces the lockout with aac's permanent lock; re-enabling lifts only that", async () => {
    work.edit('people/jsmith.yaml', 'status: active', 'status: disabled');
    expect((await work.apply()).code).toBe(0);
    expect(await lockOf('jsmith')).toBe('000001010000Z');
    work.edit('people/jsmith.yaml', 'status: disabled', 'status: active');
    const run = await work.apply();
    expect(run.stdout).toMatch(/unlock account jsmith/);
    expect(await lockOf('jsmith')).toEqual([]);
    expect(await bind('jsmith', PASSWORD)).toBe(true);
  });

  it("an administrator's permanent lock is theirs: reported, never lifted", async () => {
    await admin.modify(
      dnOf('alee'),
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'pwdAccountLockedTime', values: ['000001010000Z'] }),
      }),
    );
    const run = await work.apply();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('account alee is locked, and not by aac');
    expect(await lockOf('alee')).toBe('000001010000Z');
    expect((await work.plan('--exit-code')).code).toBe(0);
  });

  it('the audit log records whose lock is whose', () => {
    const locks = work
      .records()
      .filter((r) => r.type === 'account.locked' || r.type === 'account.unlocked')
      .map((r) => [r.type, r.details['uid'], typeof r.details['key']]);
    expect(locks).toEqual([
      ['account.locked', 'jsmith', 'string'],
      ['account.unlocked', 'jsmith', 'string'],
    ]);
  });
});
