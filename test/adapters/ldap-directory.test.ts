import type { Socket } from 'node:net';
import type { Client } from 'ldapts';
import { InvalidCredentialsError } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLdapDirectory } from '../../src/adapters/ldap/ldap-directory.js';
import type { LdapDirectory } from '../../src/adapters/ldap/ldap-directory.js';
import { DirectoryError } from '../../src/errors.js';
import { applyPlan } from '../../src/services/reconcile/apply-plan.js';
import { NOW, sampleFiles } from '../helpers/sample-tree.js';
import { planFor, SAMPLE_LAYOUT, testPassword } from '../helpers/reconcile.js';
import { startSlapd } from '../helpers/slapd.mjs';
import type { Slapd } from '../helpers/slapd.mjs';

let slapd: Slapd;
beforeAll(async () => {
  slapd = await startSlapd({ sizeLimit: 5 });
});
afterAll(async () => {
  await slapd?.stop();
});

const open = (): Promise<LdapDirectory> =>
  openLdapDirectory({
    url: slapd.url,
    bindDn: slapd.adminDn,
    bindPassword: slapd.adminPassword,
    layout: SAMPLE_LAYOUT,
  });

async function entry(dn: string, attributes: string[]): Promise<Record<string, unknown> | undefined> {
  const client = await slapd.client();
  try {
    return (await client.search(dn, { scope: 'base', attributes })).searchEntries[0];
  } finally {
    await client.unbind();
  }
}

describe('LdapDirectory against slapd', () => {
  it('reads an empty tree, applies the sample, and reads it back with nothing left to do', async () => {
    const directory = await open();
    try {
      expect(await directory.read()).toEqual({ accounts: [], groups: [] });
      const plan = planFor({}, await directory.read());
      const results = await applyPlan(plan, { directory, generatePassword: testPassword });
      expect(results.map((r) => r.status)).toEqual(plan.actions.map(() => 'done'));
    } finally {
      await directory.close();
    }
    const again = await open();
    try {
      const snapshot = await again.read();
      expect(snapshot.accounts).toHaveLength(15);
      expect(snapshot.groups).toHaveLength(17);
      expect(planFor({}, snapshot).actions).toEqual([]);
      // Empty groups carry the placeholder, which the snapshot does not count as a member.
      expect(snapshot.groups.find((g) => g.name === 'crm-admins')).toMatchObject({ members: [], hasPlaceholder: true });
    } finally {
      await again.close();
    }
  });

  it('creates accounts that must change their password at first login', async () => {
    const jsmith = await entry(`uid=jsmith,${slapd.peopleDn}`, ['pwdReset', 'entryUUID', 'employeeNumber', 'memberOf']);
    expect(jsmith).toMatchObject({ pwdReset: 'TRUE', employeeNumber: 'EMP-45678' });
    expect(jsmith?.['memberOf']).toEqual(expect.arrayContaining([`cn=crm-sales-reps,${slapd.groupsDn}`]));
  });

  it('renames with modrdn: same entryUUID, members follow (refint)', async () => {
    const before = await entry(`uid=jsmith,${slapd.peopleDn}`, ['entryUUID']);
    const changes = {
      'access/people/jsmith.yaml': null,
      'access/people/jsmith2.yaml': sampleFiles()['access/people/jsmith.yaml']!.replace('uid: jsmith', 'uid: jsmith2'),
    };
    const directory = await open();
    try {
      const plan = planFor(changes, await directory.read());
      expect(plan.actions.map((a) => a.type)).toEqual(['rename-account']);
      expect((await applyPlan(plan, { directory, generatePassword: testPassword }))[0]!.status).toBe('done');
    } finally {
      await directory.close();
    }
    const after = await entry(`uid=jsmith2,${slapd.peopleDn}`, ['entryUUID', 'uid']);
    expect(after).toMatchObject({ entryUUID: before?.['entryUUID'], uid: 'jsmith2' });
    const group = await entry(`cn=crm-sales-reps,${slapd.groupsDn}`, ['member']);
    expect(group?.['member']).toBe(`uid=jsmith2,${slapd.peopleDn}`);
    // And back, so later tests see the sample.
    const back = await open();
    try {
      await applyPlan(planFor({}, await back.read()), { directory: back, generatePassword: testPassword });
    } finally {
      await back.close();
    }
  });

  it('is idempotent: replaying an already applied plan reports "already" or redoes nothing', async () => {
    const directory = await open();
    try {
      const stale = planFor({}, { accounts: [], groups: [] });
      const results = await applyPlan(stale, { directory, generatePassword: testPassword });
      expect(results.filter((r) => r.status === 'failed')).toEqual([]);
      expect(new Set(results.map((r) => r.status))).toEqual(new Set(['already']));
      expect(planFor({}, await directory.read()).actions).toEqual([]);
    } finally {
      await directory.close();
    }
  });

  it('batches a group change into one modify that keeps the group valid when it empties', async () => {
    const changes = {
      'access/people/jsmith.yaml': sampleFiles()['access/people/jsmith.yaml']!.replace(
        'status: active',
        'status: disabled',
      ),
    };
    const directory = await open();
    try {
      const plan = planFor(changes, await directory.read());
      const results = await applyPlan(plan, { directory, generatePassword: testPassword });
      expect(results.map((r) => [r.action.type, r.status])).toEqual([
        ['update-members', 'done'],
        ['update-members', 'done'],
        ['lock-account', 'done'],
      ]);
      expect(planFor(changes, await directory.read()).actions).toEqual([]);
    } finally {
      await directory.close();
    }
    expect(await entry(`cn=crm-sales-reps,${slapd.groupsDn}`, ['member'])).toMatchObject({
      member: `cn=crm-sales-reps,${slapd.groupsDn}`,
    });
    expect(await entry(`uid=jsmith,${slapd.peopleDn}`, ['pwdAccountLockedTime'])).toMatchObject({
      pwdAccountLockedTime: '000001010000Z',
    });
    const restore = await open();
    try {
      await applyPlan(planFor({}, await restore.read()), { directory: restore, generatePassword: testPassword });
      expect(planFor({}, await restore.read()).actions).toEqual([]);
    } finally {
      await restore.close();
    }
  });

  it('fails closed when the server caps the read', async () => {
    const limited = await openLdapDirectory({
      url: slapd.url,
      bindDn: slapd.limitedDn,
      bindPassword: slapd.adminPassword,
      layout: SAMPLE_LAYOUT,
      pageSize: 2,
    });
    try {
      const error = await limited.read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DirectoryError);
      expect((error as DirectoryError).code).toBe('size-limit');
    } finally {
      await limited.close();
    }
  });

  it('reads an entry of another class in the people OU as foreign, and its membership as drift', async () => {
    const admin = await slapd.client();
    const ghost = `uid=ghost,${slapd.peopleDn}`;
    try {
      await admin.add(ghost, { objectClass: ['account'], uid: 'ghost' });
      await admin.modify(`cn=email-users,${slapd.groupsDn}`, [
        new (await import('ldapts')).Change({
          operation: 'add',
          modification: new (await import('ldapts')).Attribute({ type: 'member', values: [ghost] }),
        }),
      ]);
      const directory = await open();
      try {
        const snapshot = await directory.read();
        expect(snapshot.foreign).toMatchObject([{ dn: ghost, ou: 'people', names: ['ghost'] }]);
        const plan = planFor({}, snapshot);
        expect(plan.actions.flatMap((a) => (a.type === 'update-members' ? a.remove : []))).toEqual([
          { dn: ghost, reason: 'drift' },
        ]);
      } finally {
        await directory.close();
      }
    } finally {
      await admin.del(ghost).catch(() => undefined);
      await admin.unbind();
    }
  });

  it('reports a wrong bind password as bind-failed without echoing it', async () => {
    const error = await openLdapDirectory({
      url: slapd.url,
      bindDn: slapd.adminDn,
      bindPassword: 'Wrong-Secret-123',
      layout: SAMPLE_LAYOUT,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as DirectoryError).code).toBe('bind-failed');
    expect((error as DirectoryError).cause).toBeInstanceOf(InvalidCredentialsError);
    expect(String((error as Error).message)).not.toContain('Wrong-Secret-123');
  });

  it('turns a dropped connection into connection-lost for every later write', async () => {
    const directory = await open();
    const client = (directory as unknown as { client: Client }).client;
    await directory.read();
    // Simulate the network dropping: close the socket under the client, and wait until it is closed.
    const socket = (client as unknown as { socket: Socket }).socket;
    const closed = new Promise((r) => socket.once('close', r));
    socket.destroy();
    await closed;
    const plan = planFor(
      {
        'access/people/jsmith.yaml': sampleFiles()['access/people/jsmith.yaml']!.replace(
          'title: Account Executive',
          'title: Lead',
        ),
      },
      { accounts: [], groups: [] },
      { now: NOW },
    );
    const error = await directory.write(plan.actions[0]!, { password: testPassword() }).catch((e: unknown) => e);
    expect((error as DirectoryError).code).toBe('connection-lost');
    await directory.close();
  });
});
