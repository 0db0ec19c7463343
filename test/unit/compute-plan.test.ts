import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/core/plan/action.js';
import { TEMPORARY_PASSWORD_LIFETIME_MS } from '../../src/core/plan/compute-plan.js';
import type { DirectorySnapshot } from '../../src/core/plan/directory-snapshot.js';
import { summarizePlan } from '../../src/core/plan/format-plan.js';
import { locatePlanCauses } from '../../src/core/plan/locate-plan-causes.js';
import { NOW, sampleFiles, validateWith } from '../helpers/sample-tree.js';
import { converge, memoryDirectory, memoryOf, planFor } from '../helpers/reconcile.js';
import type { MemoryDirectory } from '../../src/adapters/memory/memory-directory.js';

const EMPTY: DirectorySnapshot = { accounts: [], groups: [] };
const JSMITH = 'access/people/jsmith.yaml';
const DAY = 24 * 3600 * 1000;

const types = (actions: readonly Action[]): string[] => actions.map((a) => a.type);
const of = <T extends Action['type']>(actions: readonly Action[], type: T): Extract<Action, { type: T }>[] =>
  actions.filter((a): a is Extract<Action, { type: T }> => a.type === type);
const withText = (file: string, from: string, to: string): Record<string, string> => {
  const text = sampleFiles()[file]!;
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  return { [file]: text.replace(from, to) };
};

/** A memory directory holding the converged sample, with every temporary password changed. */
async function converged(): Promise<MemoryDirectory> {
  const directory = memoryDirectory();
  await converge(directory);
  for (const account of directory.state.accounts) account.mustChangePassword = false;
  return directory;
}

describe('computePlan on an empty directory', () => {
  const plan = planFor({}, EMPTY);
  const located = locatePlanCauses(plan, validateWith().sources);

  it('creates every active person and every declared group, and nobody disabled', () => {
    const created = of(plan.actions, 'create-account').map((a) => a.uid);
    expect(created).toHaveLength(15);
    expect(created).not.toContain('ekim');
    expect(of(plan.actions, 'create-group')).toHaveLength(17);
    expect(plan.violations).toEqual([]);
  });

  it('orders accounts before groups and points each action at its file', () => {
    const firstGroup = plan.actions.findIndex((a) => a.type === 'create-group');
    expect(plan.actions.slice(0, firstGroup).every((a) => a.type === 'create-account')).toBe(true);
    expect(of(plan.actions, 'create-account').find((a) => a.uid === 'jsmith')!.cause).toEqual({
      file: JSMITH,
      path: ['uid'],
    });
    const jsmith = of(located.actions, 'create-account').find((a) => a.uid === 'jsmith')!;
    expect(jsmith.cause).toEqual({ file: JSMITH, path: ['uid'], line: 4, column: 6 });
    const reps = of(located.actions, 'create-group').find((a) => a.group === 'crm-sales-reps')!;
    expect(reps.members.map((m) => m.uid)).toEqual(['jsmith']);
    expect(reps.members[0]!.cause).toMatchObject({ file: JSMITH, line: 22 });
  });

  it('gives the password hand-over to the manager, or to the sponsor for externals', () => {
    const creates = of(plan.actions, 'create-account');
    expect(creates.find((a) => a.uid === 'jsmith')!.provisioning.handoverTo).toMatchObject({
      uid: 'mjohnson',
      role: 'manager',
    });
    expect(creates.find((a) => a.uid === 'jdoe.acme')!.provisioning.handoverTo).toMatchObject({
      uid: 'mjohnson',
      role: 'sponsor',
    });
    expect(creates.find((a) => a.uid === 'jsmith')!.provisioning.systems).toEqual(['email/user', 'crm/sales-rep']);
  });
});

describe('plan -> apply -> plan is empty (memory directory)', () => {
  const cases: Array<[string, Record<string, string | null>, number?]> = [
    ['a title change', withText(JSMITH, 'title: Account Executive', 'title: Senior Account Executive')],
    ['a grant removed', { [JSMITH]: sampleFiles()[JSMITH]!.replace(/ {2}- system: crm[\s\S]*$/, '') }],
    ['a person disabled', withText(JSMITH, 'status: active', 'status: disabled')],
    ['a person deleted', withText(JSMITH, 'status: active', 'status: deleted')],
    ['a person file removed', { [JSMITH]: null }],
    ['a grant expired', {}, Date.parse('2027-04-01T00:00:00Z')],
  ];
  it.each(cases)('%s', async (_name, changes, now) => {
    const directory = await converged();
    const { results } = await converge(directory, changes, now ? { now } : {});
    expect(results.every((r) => r.status === 'done')).toBe(true);
    expect(planFor(changes, await directory.read(), now ? { now } : {}).actions).toEqual([]);
  });
});

describe('computePlan on a converged directory', () => {
  it('is empty when nothing changed', async () => {
    const directory = await converged();
    expect(planFor({}, await directory.read()).actions).toEqual([]);
  });

  it('renames an account whose uid changed (same employeeId), keeping its entry and groups', async () => {
    const directory = await converged();
    const text = sampleFiles()[JSMITH]!.replace('uid: jsmith', 'uid: jsmith2');
    const changes = { [JSMITH]: null, 'access/people/jsmith2.yaml': text };
    const before = directory.state.accounts.find((a) => a.uid === 'jsmith')!.key;
    const plan = planFor(changes, await directory.read());
    expect(types(plan.actions)).toEqual(['rename-account']);
    await converge(directory, changes);
    expect(directory.state.accounts.find((a) => a.uid === 'jsmith2')!.key).toBe(before);
    expect(planFor(changes, await directory.read()).actions).toEqual([]);
  });

  it('renames by email when there is no employeeId', async () => {
    const directory = await converged();
    const file = 'access/people/jdoe.acme.yaml';
    const changes = {
      [file]: null,
      'access/people/jdoe2.acme.yaml': sampleFiles()[file]!.replace('uid: jdoe.acme', 'uid: jdoe2.acme'),
    };
    expect(types(planFor(changes, await directory.read()).actions)).toEqual(['rename-account']);
  });

  it('updates changed attributes only', async () => {
    const directory = await converged();
    const plan = planFor(
      withText(JSMITH, 'title: Account Executive', 'title: Senior Account Executive'),
      await directory.read(),
    );
    expect(of(plan.actions, 'update-account').map((a) => a.changes)).toEqual([
      [{ attribute: 'title', from: 'Account Executive', to: 'Senior Account Executive' }],
    ]);
  });

  it('locks and empties a disabled account, then unlocks and restores it', async () => {
    const directory = await converged();
    const disable = withText(JSMITH, 'status: active', 'status: disabled');
    const plan = planFor(disable, await directory.read());
    expect(of(plan.actions, 'lock-account').map((a) => [a.account.uid, a.reason])).toEqual([['jsmith', 'disabled']]);
    expect(of(plan.actions, 'update-members').flatMap((a) => a.remove.map((r) => [a.group, r.uid, r.reason]))).toEqual([
      ['crm-sales-reps', 'jsmith', 'disabled'],
      ['email-users', 'jsmith', 'disabled'],
    ]);
    // crm-sales-reps had only jsmith: the group keeps a placeholder member.
    expect(of(plan.actions, 'update-members').find((a) => a.group === 'crm-sales-reps')!.placeholder).toBe('add');
    await converge(directory, disable);
    // The lock is aac's (its audit log says so): re-enabling lifts it.
    const again = planFor({}, await directory.read(), { memory: memoryOf(directory) });
    expect(types(again.actions)).toEqual(['unlock-account', 'update-members', 'update-members']);
    // Without that record the lock is someone else's: reported, never lifted.
    const unknown = planFor({}, await directory.read());
    expect(types(unknown.actions)).toEqual(['update-members', 'update-members']);
    expect(unknown.notices).toMatchObject([{ kind: 'locked-by-someone-else', uid: 'jsmith' }]);
    expect(of(again.actions, 'update-members').find((a) => a.group === 'crm-sales-reps')!.placeholder).toBe('remove');
  });

  it('removes memberships before deleting a deleted person', async () => {
    const directory = await converged();
    const plan = planFor(withText(JSMITH, 'status: active', 'status: deleted'), await directory.read());
    expect(types(plan.actions)).toEqual(['update-members', 'update-members', 'delete-account']);
    expect(of(plan.actions, 'update-members').flatMap((a) => a.remove.map((r) => r.reason))).toEqual([
      'deleted',
      'deleted',
    ]);
  });

  it('locks, never deletes, the account of a vanished person file', async () => {
    const directory = await converged();
    const plan = planFor({ [JSMITH]: null }, await directory.read());
    expect(of(plan.actions, 'lock-account').map((a) => [a.account.uid, a.reason, a.cause])).toEqual([
      ['jsmith', 'file-removed', undefined],
    ]);
    expect(of(plan.actions, 'delete-account')).toEqual([]);
    expect(of(plan.actions, 'update-members').flatMap((a) => a.remove.map((r) => r.reason))).toEqual([
      'file-removed',
      'file-removed',
    ]);
  });

  it('removes expired grants with the grant that expired', async () => {
    const directory = await converged();
    const plan = planFor({}, await directory.read(), { now: Date.parse('2027-04-01T00:00:00Z') });
    const removals = of(plan.actions, 'update-members').flatMap((a) => a.remove);
    expect(removals.map((r) => [r.uid, r.reason, r.grant?.system, r.grant?.expires])).toEqual([
      ['pkowalski', 'expired', 'email', '2027-03-31'],
      ['pkowalski', 'expired', 'production', '2027-03-31'],
      ['pkowalski', 'expired', 'project-tools', '2027-03-31'],
    ]);
    expect(summarizePlan(plan).expired).toBe(3);
  });

  it('reports undeclared members as drift and removes them', async () => {
    const directory = await converged();
    const admins = directory.state.groups.find((g) => g.name === 'prod-admins')!;
    admins.members.push('uid=jsmith,ou=people,dc=example,dc=org', 'cn=intruder,ou=elsewhere,dc=example,dc=org');
    const plan = planFor({}, await directory.read());
    expect(
      of(plan.actions, 'update-members').map((a) => [a.group, a.remove.map((r) => [r.uid ?? r.dn, r.reason])]),
    ).toEqual([
      [
        'prod-admins',
        [
          ['jsmith', 'drift'],
          ['cn=intruder,ou=elsewhere,dc=example,dc=org', 'drift'],
        ],
      ],
    ]);
  });

  it('empties a group that no role declares any more, keeping a placeholder', async () => {
    const directory = await converged();
    directory.state.groups.push({
      key: 'k-old',
      dn: 'cn=old-role,ou=groups,dc=example,dc=org',
      name: 'old-role',
      members: ['uid=jsmith,ou=people,dc=example,dc=org'],
    });
    const plan = planFor({}, await directory.read());
    expect(
      of(plan.actions, 'update-members').map((a) => [a.group, a.remove.map((r) => r.reason), a.placeholder]),
    ).toEqual([['old-role', ['group-retired'], 'add']]);
  });

  it('needs no placeholder in Active Directory', async () => {
    const directory = await converged();
    const plan = planFor(withText(JSMITH, 'status: active', 'status: disabled'), await directory.read(), {
      flavor: 'active-directory',
    });
    expect(of(plan.actions, 'update-members').some((a) => a.placeholder !== undefined)).toBe(false);
  });

  it('locks an account whose temporary password is unchanged after 72 hours, and only then', async () => {
    const directory = memoryDirectory();
    await converge(directory);
    const snapshot = await directory.read();
    expect(planFor({}, snapshot, { now: NOW + TEMPORARY_PASSWORD_LIFETIME_MS - 1, guards: {} }).actions).toEqual([]);
    const late = planFor({}, snapshot, { now: NOW + TEMPORARY_PASSWORD_LIFETIME_MS, guards: {} });
    expect(new Set(of(late.actions, 'lock-account').map((a) => a.reason))).toEqual(
      new Set(['temporary-password-unchanged']),
    );
    expect(of(late.actions, 'lock-account')).toHaveLength(15);
    // Locked and still unchanged: stays locked (no unlock/lock loop).
    await converge(directory, {}, { now: NOW + 4 * DAY, guards: {} });
    expect(planFor({}, await directory.read(), { now: NOW + 5 * DAY, guards: {} }).actions).toEqual([]);
    // The helpdesk resets jsmith's password: a fresh temporary password unlocks on the next run.
    const jsmith = directory.state.accounts.find((a) => a.uid === 'jsmith')!;
    jsmith.passwordSetAt = NOW + 5 * DAY;
    expect(
      types(
        planFor({}, await directory.read(), { now: NOW + 5 * DAY, guards: {}, memory: memoryOf(directory) }).actions,
      ),
    ).toEqual(['unlock-account']);
  });
});

describe('guards', () => {
  it('trip on count and on percent, and name the guard', async () => {
    const directory = await converged();
    const removeAll = Object.fromEntries(
      Object.keys(sampleFiles())
        .filter(
          (f) =>
            f.startsWith('access/people/') && f !== 'access/people/mjohnson.yaml' && f !== 'access/people/cgarcia.yaml',
        )
        .map((f) => [f, null]),
    );
    // Keep the people other files point at (managers, department heads, sponsors) so the files stay valid.
    for (const keep of ['rbrown', 'dwilliams', 'swhite', 'kpatel', 'hmueller', 'tnguyen'])
      delete removeAll[`access/people/${keep}.yaml`];
    const plan = planFor(removeAll, await directory.read());
    expect(plan.violations.map((v) => [v.guard, v.counts])).toEqual(
      expect.arrayContaining([['maxPercent', 'disables']]),
    );
    const strict = planFor(removeAll, await directory.read(), { guards: { maxDisables: 2 } });
    expect(strict.violations.map((v) => [v.guard, v.count, v.limit])).toEqual([['maxDisables', 7, 2]]);
  });

  it('never count one entry as a mass change by percent', async () => {
    const directory = await converged();
    const plan = planFor({ [JSMITH]: null }, await directory.read(), { guards: { maxPercent: 1 } });
    expect(plan.violations.filter((v) => v.counts === 'disables')).toEqual([]);
  });
});
