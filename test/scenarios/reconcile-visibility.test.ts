import { Attribute, Change } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, dumpDirectory } from '../helpers/reconcile-workspace.js';
import type { ReconcileWorkspace } from '../helpers/reconcile-workspace.js';
import { startSlapd } from '../helpers/slapd.mjs';
import type { Slapd } from '../helpers/slapd.mjs';

// The sample is applied by the root DN (exempt from ACLs); the runs under test bind as cn=aac,
// whose view the ACLs narrow. A read the bind cannot complete must stop before any write, say what
// it could not see, and never end in an internal error.
let slapd: Slapd;
let admin: ReconcileWorkspace;
let service: ReconcileWorkspace;
const alee = (s: Slapd): string => `uid=alee,${s.peopleDn}`;

beforeAll(async () => {
  slapd = await startSlapd();
  admin = createWorkspace(slapd);
  service = createWorkspace(slapd, { bindAs: 'service' });
  expect((await admin.apply()).code).toBe(0);
  expect((await service.plan('--exit-code')).code).toBe(0);
});
afterAll(async () => {
  admin?.close();
  service?.close();
  await slapd?.stop();
});

/** Restarts slapd with `acls`, runs `aac apply` as the service account, and checks nothing was written. */
async function applyHidden(
  acls: string[],
  edit?: () => void,
): Promise<{ code: number; stdout: string; stderr: string }> {
  await slapd.restart({ acls });
  const before = await dumpDirectory(slapd);
  edit?.();
  const run = await service.apply();
  expect(await dumpDirectory(slapd)).toBe(before);
  expect(run.stdout).not.toMatch(/FAILED|done /);
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(service.lastRun().map((r) => r.type)).toEqual(['apply.failed']);
  return run;
}

describe('a read the bind cannot see in full aborts before any write', () => {
  it('a person hidden without disclose: their memberships are not taken for drift', async () => {
    const run = await applyHidden([`access to dn.exact="${alee(slapd)}" by * none`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(dangling-member)');
    expect(run.stderr).toContain(alee(slapd));
    expect(run.stderr).toMatch(/read access/);
  });

  it('a person hidden without disclose and disabled in the files: still no write, not "no changes"', async () => {
    const text = service.read('people/alee.yaml');
    try {
      const run = await applyHidden([`access to dn.exact="${alee(slapd)}" by * none`], () =>
        service.edit('people/alee.yaml', 'status: active', 'status: disabled'),
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(alee(slapd));
      const plan = await service.plan('--exit-code');
      expect(plan.code).toBe(1);
      expect(plan.stdout).not.toContain('No changes');
    } finally {
      service.write('people/alee.yaml', text);
    }
  });

  it('a person hidden with disclose: named as not readable, with the permission needed', async () => {
    const run = await applyHidden([`access to dn.exact="${alee(slapd)}" by * disclose`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(not-visible)');
    expect(run.stderr).toContain(`the entries ${alee(slapd)}`);
    expect(run.stderr).toMatch(/read \(and search\) access/);
  });

  for (const level of ['none', 'disclose'])
    it(`group members hidden (${level}): each group named, member named as the attribute`, async () => {
      const run = await applyHidden([`access to attrs=member by * ${level}`]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('(not-visible)');
      expect(run.stderr).toMatch(new RegExp(`member of cn=[a-z-]+,${slapd.groupsDn}`));
    });

  it('an account attribute hidden (employeeNumber): absent and hidden are told apart', async () => {
    const run = await applyHidden([`access to attrs=employeeNumber by * none`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(not-visible)');
    expect(run.stderr).toMatch(/employeeNumber of uid=/);
  });

  it('one lock hidden (pwdAccountLockedTime of one entry): an unlocked-looking account is not trusted', async () => {
    const run = await applyHidden([`access to dn.exact="${alee(slapd)}" attrs=pwdAccountLockedTime by * none`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`pwdAccountLockedTime of ${alee(slapd)}`);
  });

  it('with every ACL lifted, the same bind plans nothing', async () => {
    await slapd.restart({ acls: [] });
    expect((await service.plan('--exit-code')).code).toBe(0);
  });
});

describe('dangling member values', () => {
  it('are reported by DN with how to clear them; nothing is written until they are', async () => {
    const ghost = `uid=ghost,${slapd.peopleDn}`;
    const group = `cn=prod-admins,${slapd.groupsDn}`;
    const modify = async (operation: 'add' | 'delete'): Promise<void> => {
      const client = await slapd.client();
      await client.modify(
        group,
        new Change({ operation, modification: new Attribute({ type: 'member', values: [ghost] }) }),
      );
      await client.unbind();
    };
    await modify('add');
    const before = await dumpDirectory(slapd);
    const run = await service.apply();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(dangling-member)');
    expect(run.stderr).toContain(`${ghost} (member of ${group})`);
    expect(run.stderr).toMatch(/ldapmodify/);
    expect(await dumpDirectory(slapd)).toBe(before);
    await modify('delete');
    expect((await service.plan('--exit-code')).code).toBe(0);
  });
});
