/**
 * Seed 002, 3.2 steps 5-6: when an account is disabled or deleted, the person's supervisor (the
 * manager, or an external's sponsor) is told what was removed and why. Pure: the reconciler sends
 * what this returns, and records each as `notice.sent`.
 */
import type { AccessTree } from '../model/access-tree.js';
import type { ActionResult } from '../plan/compute-apply-events.js';
import type { Notice } from './notifier.js';

export interface DeprovisioningNotice {
  uid: string;
  notice: Notice;
  /** Why nobody is told (no supervisor with an email); the notice then goes nowhere. */
  undeliverable?: string;
}

/**
 * One notice per account this run disabled (locked for `disabled`) or deleted. `reason` is the
 * person file's `statusReason`; `systems` what the file granted.
 */
export function computeDeprovisioningNotices(
  results: readonly ActionResult[],
  tree: AccessTree,
  applied: { commit: string | null; date: string },
): DeprovisioningNotice[] {
  const out: DeprovisioningNotice[] = [];
  for (const r of results) {
    if (r.status !== 'done') continue;
    const a = r.action;
    const action =
      a.type === 'lock-account' && a.reason === 'disabled'
        ? 'disabled'
        : a.type === 'delete-account'
          ? 'deleted'
          : undefined;
    if (action === undefined || (a.type !== 'lock-account' && a.type !== 'delete-account')) continue;
    const uid = a.account.uid;
    const person = tree.people.get(uid)?.value;
    const supervisorUid = person?.type === 'external' ? person.sponsor : person?.manager;
    const supervisor = supervisorUid === undefined ? undefined : tree.people.get(supervisorUid)?.value;
    const notice: Notice = {
      template: 'account-deprovisioned',
      to: supervisor ? [supervisor.email] : [],
      data: {
        uid,
        name: person?.name ?? uid,
        email: person?.email ?? null,
        action,
        date: applied.date,
        commit: applied.commit,
        reason: person?.statusReason ?? 'not given in the person file',
        authorizedBy: [],
        systems: (person?.grants ?? []).map((g) => `${g.system}/${g.role}`),
        supervisor: supervisor
          ? { uid: supervisorUid, name: supervisor.name, role: person?.type === 'external' ? 'sponsor' : 'manager' }
          : null,
      },
    };
    out.push({
      uid,
      notice,
      ...(supervisor
        ? {}
        : { undeliverable: `${uid} has no ${person?.type === 'external' ? 'sponsor' : 'manager'} with an email` }),
    });
  }
  return out;
}
