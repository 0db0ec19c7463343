import type { Client } from 'ldapts';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkspace, dumpDirectory } from '../helpers/reconcile-workspace.js';
import type { ReconcileWorkspace } from '../helpers/reconcile-workspace.js';
import { startSlapd } from '../helpers/slapd.mjs';
import type { Slapd } from '../helpers/slapd.mjs';

// Directory entries are matched on one identity, compared as the directory compares (uid and cn
// ignoring case); "already there" means the entry aac wanted; two entries claiming one person stop
// that person's actions (with both DNs), never lock the real person or move their groups.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fresh(): Promise<{ slapd: Slapd; work: ReconcileWorkspace; admin: Client }> {
  const slapd = await startSlapd();
  const work = createWorkspace(slapd);
  const admin = await slapd.client();
  cleanups.push(async () => {
    await admin.unbind();
    work.close();
    await slapd.stop();
  });
  return { slapd, work, admin };
}

const person = (uid: string, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({
  objectClass: ['inetOrgPerson'],
  uid,
  cn: 'Alice Lee',
  sn: 'Lee',
  givenName: 'Alice',
  mail: 'alice.lee@example.org',
  ...extra,
});

async function uuidOf(admin: Client, dn: string): Promise<string> {
  const { searchEntries } = await admin.search(dn, { scope: 'base', attributes: ['entryUUID'] });
  return String(searchEntries[0]?.['entryUUID']);
}

async function lockOf(admin: Client, dn: string): Promise<unknown> {
  const { searchEntries } = await admin.search(dn, { scope: 'base', attributes: ['pwdAccountLockedTime'] });
  return searchEntries[0]?.['pwdAccountLockedTime'];
}

async function members(admin: Client, group: string, groupsDn: string): Promise<string[]> {
  const { searchEntries } = await admin.search(`cn=${group},${groupsDn}`, { scope: 'base', attributes: ['member'] });
  const value = searchEntries[0]?.['member'];
  return (Array.isArray(value) ? value : [value]).map(String).sort();
}

describe('uids and group names compared as the directory compares them', () => {
  it('an existing uid=Alee is alee: renamed to the files spelling, never locked as file-removed', async () => {
    const { slapd, work, admin } = await fresh();
    await admin.add(`uid=Alee,${slapd.peopleDn}`, person('Alee', { employeeNumber: 'EMP-11040' }));
    const key = await uuidOf(admin, `uid=Alee,${slapd.peopleDn}`);
    const plan = await work.plan('--format', 'json');
    const actions = JSON.parse(plan.stdout).actions as Array<{ type: string; newUid?: string; uid?: string }>;
    expect(actions.filter((a) => a.type === 'rename-account')).toMatchObject([{ newUid: 'alee' }]);
    expect(actions.some((a) => a.type === 'create-account' && a.uid === 'alee')).toBe(false);
    expect(actions.some((a) => a.type === 'lock-account')).toBe(false);
    expect((await work.apply()).code).toBe(0);
    expect(await uuidOf(admin, `uid=alee,${slapd.peopleDn}`)).toBe(key);
    expect(await lockOf(admin, `uid=alee,${slapd.peopleDn}`)).toEqual([]);
    expect((await work.plan('--exit-code')).code).toBe(0);
  });

  it('a case-only rename (JSmith -> jsmith) is done once, then nothing is left to do', async () => {
    const { slapd, work, admin } = await fresh();
    expect((await work.apply()).code).toBe(0);
    await admin.modifyDN(`uid=jsmith,${slapd.peopleDn}`, `uid=JSmith,${slapd.peopleDn}`);
    const shown = await work.plan();
    expect(shown.stdout).toContain('rename account JSmith -> jsmith');
    expect((await work.apply()).code).toBe(0);
    const { searchEntries } = await admin.search(slapd.peopleDn, { filter: '(uid=jsmith)', attributes: ['uid'] });
    expect(searchEntries.map((e) => [e.dn, e['uid']])).toEqual([[`uid=jsmith,${slapd.peopleDn}`, 'jsmith']]);
    expect((await work.plan('--exit-code')).code).toBe(0);
  });

  it('a group whose name differs only in case is renamed with its members, not retired and emptied', async () => {
    const { slapd, work, admin } = await fresh();
    expect((await work.apply()).code).toBe(0);
    const before = await members(admin, 'email-users', slapd.groupsDn);
    // The role's group written differently in the files: same group to the directory.
    work.edit('systems/email.yaml', 'group: email-users', 'group: Email-Users');
    const shown = await work.plan();
    expect(shown.stdout).toContain('rename group email-users -> Email-Users');
    expect(shown.stdout).not.toMatch(/group-retired|create group/);
    expect((await work.apply()).code).toBe(0);
    expect(await members(admin, 'Email-Users', slapd.groupsDn)).toEqual(before);
    expect((await work.plan('--exit-code')).code).toBe(0);
  });
});

describe('"already there" is the entry aac wanted', () => {
  it('an entry of another class holding a uid is a conflict: nothing for that person, others go on', async () => {
    const { slapd, work, admin } = await fresh();
    const dn = `uid=alee,${slapd.peopleDn}`;
    await admin.add(dn, { objectClass: ['account'], uid: 'alee' });
    const run = await work.apply();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`conflict: person alee: the entry with this uid is not of the account object class`);
    expect(run.stdout).toContain(dn);
    expect(run.stdout).not.toMatch(/already\s+create account alee/);
    // Everyone else was created; the foreign entry was not touched, nor locked.
    const { searchEntries } = await admin.search(slapd.peopleDn, { scope: 'one', attributes: ['uid', 'objectClass'] });
    expect(searchEntries).toHaveLength(15);
    expect(await lockOf(admin, dn)).toEqual([]);
    expect(await members(admin, 'prod-auditors', slapd.groupsDn)).not.toContain(dn);
    const again = await work.plan('--exit-code');
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('1 conflict');
    // Once someone removes the stray entry, the person is created.
    await admin.del(dn);
    expect((await work.apply()).code).toBe(0);
    expect((await work.plan('--exit-code')).code).toBe(0);
  });

  it('replaying a plan whose entry was created by another object since: the write fails, never "already"', async () => {
    const { slapd, work, admin } = await fresh();
    // Planned while alee did not exist; someone adds an `account` with that DN before apply writes.
    const plan = await work.plan('--format', 'json');
    expect(JSON.parse(plan.stdout).actions.some((a: { uid?: string }) => a.uid === 'alee')).toBe(true);
    const { openLdapDirectory } = await import('../../src/adapters/ldap/ldap-directory.js');
    const { SAMPLE_LAYOUT } = await import('../helpers/reconcile.js');
    const directory = await openLdapDirectory({
      url: slapd.url,
      bindDn: slapd.adminDn,
      bindPassword: slapd.adminPassword,
      layout: SAMPLE_LAYOUT,
    });
    try {
      await admin.add(`uid=alee,${slapd.peopleDn}`, { objectClass: ['account'], uid: 'alee' });
      const create = JSON.parse(plan.stdout).actions.find((a: { uid?: string }) => a.uid === 'alee');
      const error = await directory.write(create, { password: 'Temporary-Pass-1234' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'conflict' });
      expect(String((error as Error).message)).toMatch(/account, not an account aac manages/);
    } finally {
      await directory.close();
    }
  });
});

describe('two entries claiming one person', () => {
  it('a stale entry with the same employeeNumber stops only that person, reported with both DNs', async () => {
    const { slapd, work, admin } = await fresh();
    expect((await work.apply()).code).toBe(0);
    const real = `uid=jsmith,${slapd.peopleDn}`;
    const stale = `uid=jsmith-old,${slapd.peopleDn}`;
    await admin.add(stale, {
      ...person('jsmith-old', { cn: 'Jane Smith', sn: 'Smith', givenName: 'Jane', mail: 'old@example.org' }),
      employeeNumber: 'EMP-45678',
    });
    const groupsBefore = await members(admin, 'crm-sales-reps', slapd.groupsDn);
    // Meanwhile other changes are due: they go on.
    work.edit('people/jsmith.yaml', 'title: Account Executive', 'title: Senior Account Executive');
    work.edit('people/mjohnson.yaml', /title: .*/, 'title: Vice President of Sales');
    const before = await dumpDirectory(slapd);
    const run = await work.apply();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('conflict: person jsmith: several accounts carry the same employeeId');
    expect(run.stdout).toContain(real);
    expect(run.stdout).toContain(stale);
    expect(run.stdout).toContain('update account mjohnson');
    expect(run.stdout).not.toMatch(/jsmith(-old)? \(file-removed\)|lock account jsmith/);
    expect(await dumpDirectory(slapd)).not.toBe(before);
    expect(await lockOf(admin, real)).toEqual([]);
    expect(await lockOf(admin, stale)).toEqual([]);
    expect(await members(admin, 'crm-sales-reps', slapd.groupsDn)).toEqual(groupsBefore);
    const { searchEntries } = await admin.search(real, { scope: 'base', attributes: ['title'] });
    expect(searchEntries[0]?.['title']).toBe('Account Executive');
    // Removing the stale entry lets jsmith's change through.
    await admin.del(stale);
    expect((await work.apply()).code).toBe(0);
    expect((await work.plan('--exit-code')).code).toBe(0);
  });

  it("a uid held by another person's entry (another employeeNumber) is a conflict, not a takeover", async () => {
    const { slapd, work, admin } = await fresh();
    const dn = `uid=alee,${slapd.peopleDn}`;
    await admin.add(dn, person('alee', { employeeNumber: 'EMP-99999', cn: 'Adam Lee', givenName: 'Adam' }));
    const run = await work.apply();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('conflict: person alee: the entry with this uid carries another employeeId');
    const { searchEntries } = await admin.search(dn, { scope: 'base', attributes: ['cn', 'employeeNumber'] });
    expect(searchEntries[0]).toMatchObject({ cn: 'Adam Lee', employeeNumber: 'EMP-99999' });
    expect(await lockOf(admin, dn)).toEqual([]);
  });

  it('a rename onto a uid a stale entry holds is a conflict naming both entries', async () => {
    const { slapd, work, admin } = await fresh();
    expect((await work.apply()).code).toBe(0);
    await admin.add(`uid=jane.smith,${slapd.peopleDn}`, person('jane.smith', { mail: 'stale@example.org' }));
    const text = work.read('people/jsmith.yaml').replace('uid: jsmith', 'uid: jane.smith');
    work.remove('people/jsmith.yaml');
    work.write('people/jane.smith.yaml', text);
    const run = await work.apply();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('conflict: person jane.smith: the new uid is held by another entry');
    expect(run.stdout).toContain(`uid=jsmith,${slapd.peopleDn} and uid=jane.smith,${slapd.peopleDn}`);
    expect(await lockOf(admin, `uid=jsmith,${slapd.peopleDn}`)).toEqual([]);
    expect(await lockOf(admin, `uid=jane.smith,${slapd.peopleDn}`)).toEqual([]);
  });
});

describe('renames that depend on each other', () => {
  it('a rename that frees a uid runs before the rename that takes it, in one run', async () => {
    const { slapd, work, admin } = await fresh();
    expect((await work.apply()).code).toBe(0);
    const jsmith = await uuidOf(admin, `uid=jsmith,${slapd.peopleDn}`);
    const alee = await uuidOf(admin, `uid=alee,${slapd.peopleDn}`);
    // jsmith -> jsmith2, and alee takes jsmith (both keep their employeeId). Uid reuse is refused by
    // validation with history; without history (--no-history) the reconciler still orders it right.
    const jane = work.read('people/jsmith.yaml').replace('uid: jsmith', 'uid: jsmith2');
    const alice = work.read('people/alee.yaml').replace('uid: alee', 'uid: jsmith');
    work.remove('people/jsmith.yaml');
    work.remove('people/alee.yaml');
    work.write('people/jsmith2.yaml', jane);
    work.write('people/jsmith.yaml', alice);
    for (const file of ['people/kpatel.yaml', 'people/mjohnson.yaml'])
      if (work.read(file).includes('manager: alee')) work.edit(file, 'manager: alee', 'manager: jsmith');
    const run = await work.apply();
    expect(run.stdout).toMatch(/rename account jsmith -> jsmith2[\s\S]*rename account alee -> jsmith/);
    expect(run.code).toBe(0);
    expect(await uuidOf(admin, `uid=jsmith2,${slapd.peopleDn}`)).toBe(jsmith);
    expect(await uuidOf(admin, `uid=jsmith,${slapd.peopleDn}`)).toBe(alee);
    expect((await work.plan('--exit-code')).code).toBe(0);
  });
});
