import { Attribute, Change } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLdapDirectory } from '../../src/adapters/ldap/ldap-directory.js';
import type { LdapDirectory } from '../../src/adapters/ldap/ldap-directory.js';
import { computeApplyEvents } from '../../src/core/plan/compute-apply-events.js';
import { computeReconcilerMemory } from '../../src/core/plan/reconciler-memory.js';
import type { AuditRecord } from '../../src/core/audit/audit-event.js';
import { applyPlan } from '../../src/services/reconcile/apply-plan.js';
import { MemoryAuditLog } from '../helpers/memory-audit-log.js';
import { NOW, sampleFiles } from '../helpers/sample-tree.js';
import { planFor, SAMPLE_LAYOUT, testPassword } from '../helpers/reconcile.js';
import { startSlapd } from '../helpers/slapd.mjs';
import type { Slapd } from '../helpers/slapd.mjs';

// Every combination of a rename, an email change, a grant added or removed and a status change of
// one person, in one commit, applied in one run against slapd: the next plan is empty and the
// reasons are right (a removed grant is a revocation, never drift).
const JSMITH = 'access/people/jsmith.yaml';
const ORIGINAL = sampleFiles()[JSMITH]!;
const WITHOUT_ID = ORIGINAL.replace(/employeeId: .*\n/, '');

interface Combo {
  employeeId: boolean;
  rename: boolean;
  email: boolean;
  grant: 'none' | 'add' | 'remove';
  status: 'active' | 'disabled';
}

const combos: Combo[] = [];
for (const employeeId of [true, false])
  for (const rename of [false, true])
    for (const email of [false, true])
      for (const grant of ['none', 'add', 'remove'] as const)
        for (const status of ['active', 'disabled'] as const) combos.push({ employeeId, rename, email, grant, status });

/** The person file for a combination, and where it goes. */
function changesFor(c: Combo): Record<string, string | null> {
  let text = c.employeeId ? ORIGINAL : WITHOUT_ID;
  if (c.rename) text = text.replace('uid: jsmith', 'uid: jsmith.b');
  if (c.email) text = text.replace('jane.smith@example.org', 'jane.b@example.org');
  if (c.status === 'disabled') text = text.replace('status: active', 'status: disabled');
  if (c.grant === 'remove') text = text.replace(/ {2}- system: crm\n[\s\S]*$/, '');
  if (c.grant === 'add')
    text += '  - system: project-tools\n    role: member\n    justification: Joins the CRM rollout project.\n';
  return c.rename ? { [JSMITH]: null, 'access/people/jsmith.b.yaml': text } : { [JSMITH]: text };
}

/** A prepared server per baseline (with and without jsmith's employeeId), cloned for each combination. */
const baselines = new Map<boolean, { parked: Awaited<ReturnType<Slapd['park']>>; records: AuditRecord[] }>();

beforeAll(async () => {
  for (const employeeId of [true, false]) {
    const slapd = await startSlapd();
    const log = new MemoryAuditLog();
    await withDirectory(slapd, (d) => runOnce(d, log, employeeId ? {} : { [JSMITH]: WITHOUT_ID }));
    // Everyone has changed their temporary password: the 72-hour rule stays out of the way.
    const admin = await slapd.client();
    for (const e of (await admin.search(slapd.peopleDn, { scope: 'one', attributes: ['1.1'] })).searchEntries)
      await admin.modify(
        e.dn,
        new Change({ operation: 'delete', modification: new Attribute({ type: 'pwdReset', values: [] }) }),
      );
    await admin.unbind();
    baselines.set(employeeId, { parked: await slapd.park(), records: [...log.records] });
  }
});
afterAll(async () => {
  for (const { parked } of baselines.values()) parked.remove();
});

async function withDirectory<T>(slapd: Slapd, use: (d: LdapDirectory) => Promise<T>): Promise<T> {
  const directory = await openLdapDirectory({
    url: slapd.url,
    bindDn: slapd.adminDn,
    bindPassword: slapd.adminPassword,
    layout: SAMPLE_LAYOUT,
  });
  try {
    return await use(directory);
  } finally {
    await directory.close();
  }
}

/** One apply run as `aac apply` does it: plan with the memory of earlier runs, apply, record. */
async function runOnce(directory: LdapDirectory, log: MemoryAuditLog, changes: Record<string, string | null>) {
  const plan = planFor(changes, await directory.read(), { memory: computeReconcilerMemory(log.records) });
  const results = await applyPlan(plan, { directory, generatePassword: testPassword });
  const events = computeApplyEvents(results, { time: new Date(NOW).toISOString(), actor: 'aac-reconciler' });
  await log.append(events);
  return { plan, results, events };
}

const name = (c: Combo): string =>
  `${c.employeeId ? 'with' : 'without'} employeeId, ${c.rename ? 'renamed' : 'same uid'}, ${c.email ? 'new email' : 'same email'}, grant ${c.grant}, ${c.status}`;

describe('one person changed every way at once converges in one run', () => {
  it.each(combos.map((c) => [name(c), c] as const))('%s', async (_, c) => {
    const baseline = baselines.get(c.employeeId)!;
    const slapd = await baseline.parked.start();
    const log = new MemoryAuditLog();
    await log.append(baseline.records);
    try {
      const admin = await slapd.client();
      const before = String(
        (await admin.search(`uid=jsmith,${slapd.peopleDn}`, { scope: 'base', attributes: ['entryUUID'] }))
          .searchEntries[0]?.['entryUUID'],
      );
      const changes = changesFor(c);
      const { results, events } = await withDirectory(slapd, (d) => runOnce(d, log, changes));
      expect(results.filter((r) => r.status === 'failed')).toEqual([]);
      const after = await withDirectory(slapd, async (d) =>
        planFor(changes, await d.read(), { memory: computeReconcilerMemory(log.records) }),
      );
      expect(after.actions).toEqual([]);
      expect(after.conflicts).toEqual([]);

      const uid = c.rename ? 'jsmith.b' : 'jsmith';
      const mail = c.email ? 'jane.b@example.org' : 'jane.smith@example.org';
      // Without an employeeId, a new uid and a new email together are another human (the identity
      // model): the old entry is locked as file-removed, and a new account made if active.
      const sameHuman = c.employeeId || !c.rename || !c.email;
      const types = events.map((e) => e.type);
      expect(types).not.toContain('drift.reverted');
      const { searchEntries } = await admin
        .search(`uid=${uid},${slapd.peopleDn}`, {
          scope: 'base',
          attributes: ['entryUUID', 'mail', 'memberOf', 'pwdAccountLockedTime'],
        })
        .catch(() => ({ searchEntries: [] }));
      const entry = searchEntries[0];
      if (!sameHuman && c.status === 'disabled') {
        // Nobody to create for a new, disabled person; the old entry is locked.
        expect(entry).toBeUndefined();
      } else {
        expect(entry?.['mail']).toBe(mail);
        if (sameHuman) expect(entry?.['entryUUID']).toBe(before);
        const groups = ([] as unknown[])
          .concat(entry?.['memberOf'] ?? [])
          .map(String)
          .sort();
        const expected =
          c.status === 'disabled'
            ? []
            : [
                'email-users',
                ...(c.grant === 'remove' ? [] : ['crm-sales-reps']),
                ...(c.grant === 'add' ? ['proj-members'] : []),
              ]
                .map((g) => `cn=${g},${slapd.groupsDn}`)
                .sort();
        expect(groups).toEqual(expected);
        expect(entry?.['pwdAccountLockedTime']).toEqual(c.status === 'disabled' ? '000001010000Z' : []);
      }
      const revoked = events.filter((e) => e.type === 'grant.revoked').map((e) => [e.subject, e.details]);
      expect(revoked).toEqual(
        sameHuman && c.grant === 'remove' && c.status === 'active'
          ? [[uid, { system: 'crm', role: 'sales-rep', group: 'crm-sales-reps' }]]
          : [],
      );
      const locked = events.filter((e) => e.type === 'account.locked').map((e) => e.details['reason']);
      expect(locked).toEqual(sameHuman ? (c.status === 'disabled' ? ['disabled'] : []) : ['file-removed']);
      await admin.unbind();
    } finally {
      await slapd.stop();
    }
  });
});
