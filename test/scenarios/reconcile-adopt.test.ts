import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Attribute, Change } from 'ldapts';
import type { Client } from 'ldapts';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { createWorkspace, dumpDirectory, SCENARIO_NOW } from '../helpers/reconcile-workspace.js';
import type { ReconcileWorkspace } from '../helpers/reconcile-workspace.js';
import { startSlapd } from '../helpers/slapd.mjs';
import type { Slapd } from '../helpers/slapd.mjs';

// A directory that has lived for years holds people no file declares. The first apply must not
// leave "lock them all" as the only way forward: `aac adopt` writes their files (or marks them
// unmanaged), the files validate, and the next plan is empty.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const COUNT = 300;
const uidOf = (i: number): string => `user${String(i).padStart(3, '0')}`;

/** The sample applied, then 300 people and one group that no file declares added by hand. */
async function livedIn(): Promise<{ slapd: Slapd; work: ReconcileWorkspace; admin: Client }> {
  const slapd = await startSlapd();
  const work = createWorkspace(slapd);
  expect((await work.apply()).code).toBe(0);
  const admin = await slapd.client();
  cleanups.push(async () => {
    await admin.unbind();
    work.close();
    await slapd.stop();
  });
  const first = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Eun-ji'];
  for (let i = 1; i <= COUNT; i++) {
    const given = first[i % first.length]!;
    await admin.add(`uid=${uidOf(i)},${slapd.peopleDn}`, {
      objectClass: ['inetOrgPerson'],
      uid: uidOf(i),
      cn: `${given} ${i % 7 === 0 ? 'García López' : `Person${i}`}`,
      sn: i % 7 === 0 ? 'García López' : `Person${i}`,
      givenName: given,
      mail: `${uidOf(i)}@example.org`,
      employeeNumber: `E-${String(i).padStart(5, '0')}`,
      employeeType: i % 5 === 0 ? 'contractor' : 'employee',
      ...(i % 3 === 0 ? { title: 'Analyst' } : {}),
    });
  }
  const add = async (group: string, uids: string[]): Promise<void> => {
    await admin.modify(
      `cn=${group},${slapd.groupsDn}`,
      new Change({
        operation: 'add',
        modification: new Attribute({ type: 'member', values: uids.map((u) => `uid=${u},${slapd.peopleDn}`) }),
      }),
    );
  };
  const all = Array.from({ length: COUNT }, (_, i) => uidOf(i + 1));
  await add('email-users', all);
  await add(
    'proj-members',
    all.filter((_, i) => i % 4 === 0),
  );
  await admin.add(`cn=legacy-vpn,${slapd.groupsDn}`, {
    objectClass: ['groupOfNames'],
    cn: 'legacy-vpn',
    member: all.slice(0, 10).map((u) => `uid=${u},${slapd.peopleDn}`),
  });
  return { slapd, work, admin };
}

const adopt = (work: ReconcileWorkspace, ...args: string[]) =>
  runCli(['adopt', '--no-history', '--now', SCENARIO_NOW, ...args], { cwd: work.dir, env: work.env });

describe('aac adopt', () => {
  it('300 undeclared people: the guard names adopt; adopted files validate; the next plan is empty', async () => {
    const { slapd, work } = await livedIn();
    const before = await dumpDirectory(slapd);
    const stopped = await work.apply();
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('aac adopt');
    expect(stopped.stderr).toContain('reconcile.unmanaged');
    expect(await dumpDirectory(slapd)).toBe(before);

    const run = await adopt(work, '--attest', 'mfa');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${COUNT} person files, 1 entries marked unmanaged`);
    expect(run.stdout).toContain('added reconcile.unmanaged: cn=legacy-vpn,ou=groups');
    const files = readdirSync(join(work.dir, 'access/people')).filter((f) => /^user\d+\.yaml$/.test(f));
    expect(files).toHaveLength(COUNT);
    const seven = work.read('people/user007.yaml');
    expect(seven).toContain('surname: García López');
    expect(seven).toMatch(/- system: email\n\s+role: user/);
    expect(work.read('people/user005.yaml')).toContain('type: contractor');
    expect(work.read('people/user001.yaml')).toMatch(/- system: project-tools\n\s+role: member/);

    expect((await runCli(['validate', '--no-history', 'access'], { cwd: work.dir })).code).toBe(0);
    const plan = await work.plan('--exit-code');
    expect(plan.stdout).toContain('No changes');
    expect(plan.code).toBe(0);
    // The group no role declares keeps its members: it is unmanaged now, not retired.
    expect(await dumpDirectory(slapd)).toBe(before);
  }, 120_000);

  it('without --attest, roles whose risk needs attestations are reported, and the files are still written', async () => {
    const { work } = await livedIn();
    const run = await adopt(work);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('MISSING_ATTESTATION');
    expect(run.stderr).toMatch(/do not validate yet.*--attest/);
  }, 120_000);

  it('--unmanaged lists the entries instead: apply then leaves them alone', async () => {
    const { slapd, work, admin } = await livedIn();
    const run = await adopt(work, '--unmanaged');
    expect(run.code).toBe(0);
    expect(work.read('policy.yaml')).toContain(`- uid=${uidOf(1)},ou=people`);
    // Comments of the policy survive the edit.
    expect(work.read('policy.yaml')).toContain("# The rules of Example Corp's access repository.");
    const before = await dumpDirectory(slapd);
    const plan = await work.plan('--exit-code');
    expect(plan.stdout).toContain('No changes');
    expect((await work.apply()).code).toBe(0);
    expect(await dumpDirectory(slapd)).toBe(before);
    // A file that claims an unmanaged entry is a conflict, not a takeover.
    work.write(
      `people/${uidOf(2)}.yaml`,
      `kind: Person\nuid: ${uidOf(2)}\nname: Ben Person2\nemail: ${uidOf(2)}@example.org\ntype: employee\nemployeeId: E-00002\n`,
    );
    const conflict = await work.plan('--exit-code');
    expect(conflict.code).toBe(1);
    expect(conflict.stdout).toContain(`conflict: person ${uidOf(2)}: the entry is listed under reconcile.unmanaged`);
    expect((await admin.search(`uid=${uidOf(2)},${slapd.peopleDn}`, { scope: 'base' })).searchEntries).toHaveLength(1);
  }, 120_000);

  it('a filter in reconcile.unmanaged keeps service accounts out of the reconciler', async () => {
    const slapd = await startSlapd();
    const work = createWorkspace(slapd);
    cleanups.push(async () => {
      work.close();
      await slapd.stop();
    });
    expect((await work.apply()).code).toBe(0);
    const admin = await slapd.client();
    await admin.add(`uid=svc-backup,${slapd.peopleDn}`, {
      objectClass: ['inetOrgPerson'],
      uid: 'svc-backup',
      cn: 'Backup service',
      sn: 'service',
      employeeType: 'service',
    });
    await admin.modify(
      `cn=prod-admins,${slapd.groupsDn}`,
      new Change({
        operation: 'add',
        modification: new Attribute({ type: 'member', values: [`uid=svc-backup,${slapd.peopleDn}`] }),
      }),
    );
    await admin.unbind();
    expect((await work.plan()).stdout).toMatch(/lock account svc-backup \(file-removed\)/);
    work.edit('policy.yaml', /\nreconcile:\n/, '\nreconcile:\n  unmanaged:\n    - "(employeeType=service)"\n');
    const plan = await work.plan('--exit-code');
    expect(plan.stdout).toContain('No changes');
    expect(plan.code).toBe(0);
  });
});
