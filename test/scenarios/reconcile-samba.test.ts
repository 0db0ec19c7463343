import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Attribute, Change } from 'ldapts';
import type { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLdapDirectory } from '../../src/adapters/ldap/ldap-directory.js';
import type { LdapDirectory } from '../../src/adapters/ldap/ldap-directory.js';
import type { Action } from '../../src/core/plan/action.js';
import { computeDirectoryLayout } from '../../src/core/plan/directory-layout.js';
import { createWorkspace } from '../helpers/reconcile-workspace.js';
import type { ReconcileWorkspace } from '../helpers/reconcile-workspace.js';
import { startSamba } from '../helpers/samba.mjs';
import type { Samba } from '../helpers/samba.mjs';

// The reconciler against a real Active Directory (Samba 4): plan -> apply -> plan is empty at each
// step, and the AD answers that differ from OpenLDAP's are handled. Samba failing to start fails
// these tests; they never skip.
let samba: Samba;
let work: ReconcileWorkspace;
let admin: Client;
const people = () => `OU=people,${samba.domainDn}`;
const groups = () => `OU=groups,${samba.domainDn}`;

beforeAll(async () => {
  samba = await startSamba();
  console.log(
    `samba: provisioned in ${samba.timings.provisionSeconds.toFixed(1)} s, copied and started in ${samba.timings.startSeconds.toFixed(1)} s`,
  );
  admin = await samba.client();
  for (const ou of ['people', 'groups'])
    await admin.add(`OU=${ou},${samba.domainDn}`, { objectClass: ['top', 'organizationalUnit'], ou });
  const ca = join(samba.dir, 'ca.pem');
  writeFileSync(ca, samba.caPem);
  work = createWorkspace(
    { url: samba.url, adminDn: samba.bindDn, serviceDn: samba.bindDn, adminPassword: samba.adminPassword },
    { env: { AAC_LDAP_CA_FILE: ca } },
  );
  work.edit('policy.yaml', 'flavor: openldap', 'flavor: active-directory');
}, 120_000);
afterAll(async () => {
  await admin?.unbind();
  work?.close();
  await samba?.stop();
});

const open = (): Promise<LdapDirectory> =>
  openLdapDirectory({
    url: samba.url,
    bindDn: samba.bindDn,
    bindPassword: samba.adminPassword,
    ca: samba.caPem,
    layout: computeDirectoryLayout({
      baseDN: samba.domainDn,
      peopleOU: 'ou=people',
      groupsOU: 'ou=groups',
      flavor: 'active-directory',
    }),
  });

async function members(group: string): Promise<string[]> {
  const { searchEntries } = await admin.search(`CN=${group},${groups()}`, { scope: 'base', attributes: ['member'] });
  return ([] as unknown[])
    .concat(searchEntries[0]?.['member'] ?? [])
    .map((m) => String(m).toLowerCase())
    .sort();
}

describe('aac plan and aac apply against Samba AD', () => {
  it('creates the sample, then has nothing left to do', async () => {
    const run = await work.apply();
    expect(run.stdout).not.toContain('FAILED');
    expect(run.code).toBe(0);
    const plan = await work.plan('--exit-code');
    expect(plan.stdout).toContain('No changes');
    expect(plan.code).toBe(0);
    expect(await members('crm-sales-reps')).toEqual([`cn=jsmith,${people()}`.toLowerCase()]);
  });

  it('a membership add that meets a value already there, or a removal of one already gone, is redone from a fresh read', async () => {
    // AD answers 68 and 53 here where OpenLDAP answers 20 and 16: plans made before someone
    // changed the group by hand are replayed.
    const directory = await open();
    try {
      const before = await directory.read();
      const reps = before.groups.find((g) => g.name === 'crm-sales-reps')!;
      const jsmith = before.accounts.find((a) => a.uid === 'jsmith')!;
      const alee = before.accounts.find((a) => a.uid === 'alee')!;
      const remove: Action = {
        type: 'update-members',
        group: reps.name,
        groupKey: reps.key,
        groupDn: reps.dn,
        add: [{ uid: 'alee', key: alee.key }],
        remove: [{ dn: jsmith.dn, key: jsmith.key, uid: 'jsmith', reason: 'drift' }],
      };
      // Someone did both by hand already.
      await admin.modify(reps.dn, [
        new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [alee.dn] }) }),
        new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: [jsmith.dn] }) }),
      ]);
      expect(await directory.write(remove)).toBe('already');
      expect(await members('crm-sales-reps')).toEqual([alee.dn.toLowerCase()]);
      // And back, so the next tests see the sample.
      await admin.modify(reps.dn, [
        new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [jsmith.dn] }) }),
        new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: [alee.dn] }) }),
      ]);
    } finally {
      await directory.close();
    }
    expect((await work.plan('--exit-code')).code).toBe(0);
  });

  it('one member that does not exist does not keep the others out of the group', async () => {
    const directory = await open();
    try {
      const before = await directory.read();
      const admins = before.groups.find((g) => g.name === 'prod-admins')!;
      const alee = before.accounts.find((a) => a.uid === 'alee')!;
      const add: Action = {
        type: 'update-members',
        group: admins.name,
        groupKey: admins.key,
        groupDn: admins.dn,
        add: [{ uid: 'ghost' }, { uid: 'alee', key: alee.key }],
        remove: [],
      };
      const error = await directory.write(add).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'write-failed' });
      expect(String((error as Error).message)).toMatch(/CN=ghost,OU=people,DC=example,DC=org do(es)? not exist/i);
      expect(await members('prod-admins')).toContain(alee.dn.toLowerCase());
    } finally {
      await directory.close();
    }
    // The next run takes alee out again (no grant): the directory converges.
    expect((await work.apply()).code).toBe(0);
    expect((await work.plan('--exit-code')).code).toBe(0);
  });

  it('an account or group whose sAMAccountName is taken elsewhere in the domain fails as a conflict, never "already"', async () => {
    await admin.add(`CN=nbrown,CN=Users,${samba.domainDn}`, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: 'nbrown',
    });
    await admin.add(`CN=legacy-admins,CN=Users,${samba.domainDn}`, {
      objectClass: ['top', 'group'],
      sAMAccountName: 'fin-auditors',
    });
    work.write(
      'people/nbrown.yaml',
      'kind: Person\nuid: nbrown\nname: Nora Brown\nemail: nora.brown@example.org\ntype: employee\nemployeeId: EMP-70001\nmanager: mjohnson\n',
    );
    work.edit('systems/financial.yaml', /roles:\n/, 'roles:\n  auditor:\n    group: fin-auditors\n    risk: low\n');
    const run = await work.apply();
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /FAILED +create account nbrown.*conflict: nbrown cannot be created.*unique in the whole domain/,
    );
    expect(run.stdout).toMatch(
      /FAILED +create group fin-auditors.*conflict: group fin-auditors cannot be created.*unique in the whole domain/,
    );
    expect(run.stdout).not.toMatch(/already +create/);
    const records = work.lastRun()[0]!;
    expect(JSON.stringify(records.details)).toContain('"result":"failed"');
    work.remove('people/nbrown.yaml');
    work.edit('systems/financial.yaml', 'roles:\n  auditor:\n    group: fin-auditors\n    risk: low\n', 'roles:\n');
  });
});
