import { MemoryDirectory } from '../../src/adapters/memory/memory-directory.js';
import { computeDesiredState } from '../../src/core/plan/compute-desired-state.js';
import { computePlan } from '../../src/core/plan/compute-plan.js';
import type { Plan, PlanOptions } from '../../src/core/plan/compute-plan.js';
import { computeDirectoryLayout } from '../../src/core/plan/directory-layout.js';
import type { DirectoryLayout } from '../../src/core/plan/directory-layout.js';
import type { Directory } from '../../src/core/plan/directory.js';
import type { DirectorySnapshot } from '../../src/core/plan/directory-snapshot.js';
import type { ActionResult } from '../../src/core/plan/compute-apply-events.js';
import { applyPlan } from '../../src/services/reconcile/apply-plan.js';
import { computeApplyEvents } from '../../src/core/plan/compute-apply-events.js';
import { computeReconcilerMemory } from '../../src/core/plan/reconciler-memory.js';
import type { ReconcilerMemory } from '../../src/core/plan/reconciler-memory.js';
import { MemoryAuditLog } from './memory-audit-log.js';
import { NOW, validateWith } from './sample-tree.js';

export const SAMPLE_LAYOUT: DirectoryLayout = computeDirectoryLayout({
  baseDN: 'dc=example,dc=org',
  peopleOU: 'ou=people',
  groupsOU: 'ou=groups',
  flavor: 'openldap',
});

/** The plan for the sample with `changes` (as `validateWith`) against a snapshot; the files must be valid. */
export function planFor(
  changes: Record<string, string | null>,
  observed: DirectorySnapshot,
  options: Partial<PlanOptions> = {},
): Plan {
  const result = validateWith(changes, { now: options.now ?? NOW });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new Error(`test files are invalid: ${errors.map((d) => `${d.file}:${d.line} ${d.code}`).join(', ')}`);
  const policy = result.tree.policy!.value;
  const now = options.now ?? NOW;
  return computePlan(computeDesiredState(result.tree, now), observed, {
    now,
    flavor: options.flavor ?? 'openldap',
    guards: options.guards ?? policy.guards,
    ...options,
  });
}

/** A memory directory laid out as the sample policy says; `now` is the clock used for new passwords. */
export function memoryDirectory(now: number = NOW): MemoryDirectory {
  return new MemoryDirectory(SAMPLE_LAYOUT, { accounts: [], groups: [] }, { now: () => now });
}

let counter = 0;
/** A fake password generator for tests that do not look at passwords: unique and recognisable. */
export function testPassword(): string {
  counter += 1;
  return `Tmp-${counter}-${'x'.repeat(12)}`.slice(0, 20);
}

const logs = new WeakMap<Directory, MemoryAuditLog>();

/** The audit log `converge` keeps for a directory, as `aac apply` keeps one per repository. */
export function auditLogOf(directory: Directory): MemoryAuditLog {
  let log = logs.get(directory);
  if (!log) {
    log = new MemoryAuditLog();
    logs.set(directory, log);
  }
  return log;
}

/** What the reconciler remembers of its runs on `directory` (whose locks are its own, what it granted). */
export function memoryOf(directory: Directory): ReconcilerMemory {
  return computeReconcilerMemory(auditLogOf(directory).records);
}

/**
 * Plans and applies the sample with `changes` on `directory`, with the memory of earlier runs of
 * `converge` on it, and records the run in its audit log as `aac apply` does.
 */
export async function converge(
  directory: Directory,
  changes: Record<string, string | null> = {},
  options: Partial<PlanOptions> = {},
): Promise<{ plan: Plan; results: ActionResult[] }> {
  const plan = planFor(changes, await directory.read(), { memory: memoryOf(directory), ...options });
  const results = await applyPlan(plan, { directory, generatePassword: testPassword });
  await auditLogOf(directory).append(
    computeApplyEvents(results, { time: new Date(options.now ?? NOW).toISOString(), actor: 'aac-reconciler' }),
  );
  return { plan, results };
}
