import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/core/plan/action.js';
import { computeApplyEvents, computeApplyFailedEvent } from '../../src/core/plan/compute-apply-events.js';
import type { Directory, WriteContext } from '../../src/core/plan/directory.js';
import { DirectoryError } from '../../src/errors.js';
import { applyPlan } from '../../src/services/reconcile/apply-plan.js';
import { sampleFiles } from '../helpers/sample-tree.js';
import { converge, memoryDirectory, planFor, testPassword } from '../helpers/reconcile.js';

/** A directory that fails the creation of some uids, at the interface (no mocking of our modules). */
function failingCreates(inner: Directory, uids: string[]): Directory & { written: Action[] } {
  const written: Action[] = [];
  return {
    written,
    read: () => inner.read(),
    close: () => inner.close(),
    async write(action: Action, context?: WriteContext) {
      written.push(action);
      if (action.type === 'create-account' && uids.includes(action.uid))
        throw new DirectoryError('write-failed', `create ${action.uid} refused`);
      return inner.write(action, context);
    },
  };
}

describe('applyPlan', () => {
  it('returns one result per action in plan order, and goes on after a failure', async () => {
    const memory = memoryDirectory();
    const directory = failingCreates(memory, ['jsmith']);
    const plan = planFor({}, await directory.read());
    const results = await applyPlan(plan, { directory, generatePassword: testPassword, concurrency: 4 });
    expect(results.map((r) => r.action.type)).toEqual(plan.actions.map((a) => a.type));
    expect(results.filter((r) => r.status === 'failed').map((r) => [r.action.type, r.error?.code])).toEqual([
      ['create-account', 'write-failed'],
    ]);
    expect(results.filter((r) => r.status === 'done')).toHaveLength(plan.actions.length - 1);
  });

  it('drops member additions of an account whose creation failed, and reports what was attempted', async () => {
    const memory = memoryDirectory();
    const directory = failingCreates(memory, ['jsmith']);
    const results = await applyPlan(planFor({}, await directory.read()), { directory, generatePassword: testPassword });
    const reps = results.find((r) => r.action.type === 'create-group' && r.action.group === 'crm-sales-reps')!;
    expect(reps.action.type === 'create-group' && reps.action.members).toEqual([]);
    expect(memory.state.groups.find((g) => g.name === 'crm-sales-reps')!.members).toEqual([
      'cn=crm-sales-reps,ou=groups,dc=example,dc=org',
    ]);
    // The next run creates jsmith and adds her, replacing the placeholder.
    const { results: next } = await converge(memory);
    expect(next.map((r) => [r.action.type, r.status])).toEqual([
      ['create-account', 'done'],
      ['update-members', 'done'],
      ['update-members', 'done'],
    ]);
  });

  it('never rewrites the plan it is given: the plan stays the value computePlan returned', async () => {
    const memory = memoryDirectory();
    const directory = failingCreates(memory, ['jsmith']);
    const plan = planFor({}, await directory.read());
    const before = structuredClone(plan);
    const results = await applyPlan(deepFreeze(plan), { directory, generatePassword: testPassword });
    expect(plan).toEqual(before);
    // What was attempted differs from what was planned only for the groups jsmith was to join.
    const changed = results.filter((r, i) => r.action !== plan.actions[i]);
    expect(changed.length).toBeGreaterThan(0);
    for (const r of changed) expect(r.action.type).toBe('create-group');
  });

  it('skips a group change left with nothing to do, keeping the placeholder', async () => {
    const memory = memoryDirectory();
    await converge(memory, { 'access/people/jsmith.yaml': null }, { guards: {} });
    const locked = memory.state.accounts.find((a) => a.uid === 'jsmith')!;
    memory.state.accounts.splice(memory.state.accounts.indexOf(locked), 1);
    const directory = failingCreates(memory, ['jsmith']);
    const results = await applyPlan(planFor({}, await directory.read()), { directory, generatePassword: testPassword });
    expect(
      results.find((r) => r.action.type === 'update-members' && r.action.group === 'crm-sales-reps'),
    ).toMatchObject({ status: 'skipped', error: { code: 'dependency-failed' } });
  });

  it('hands each new password to onAccountCreated once, and a failing notifier is a warning', async () => {
    const memory = memoryDirectory();
    const seen: string[] = [];
    const results = await applyPlan(planFor({}, await memory.read()), {
      directory: memory,
      generatePassword: testPassword,
      onAccountCreated: async (action, password) => {
        seen.push(password);
        if (action.uid === 'rbrown') throw new Error('no manager');
      },
    });
    expect(seen).toHaveLength(15);
    expect(new Set(seen).size).toBe(15);
    expect(results.filter((r) => r.warning).map((r) => [r.status, r.warning!.code])).toEqual([
      ['done', 'notify-failed'],
    ]);
  });
});

describe('computeApplyEvents', () => {
  it('records what happened: locks, expiries and drift only when done, never a password', async () => {
    const memory = memoryDirectory();
    await converge(memory);
    const disabled = sampleFiles()['access/people/jsmith.yaml']!.replace('status: active', 'status: disabled');
    const { results } = await converge(memory, { 'access/people/jsmith.yaml': disabled });
    const events = computeApplyEvents(results, {
      time: '2026-11-22T12:00:00.000Z',
      actor: 'aac-reconciler',
      source: { kind: 'commit', ref: 'HEAD', commit: 'abc', tree: 'def', uncommitted: [] },
    });
    expect(events.map((e) => e.type)).toEqual(['apply.completed', 'account.locked']);
    expect(events.map((e) => e.commit)).toEqual(['abc', 'abc']);
    const completed = events[0]!;
    if (completed.type !== 'apply.completed') throw new Error(`expected apply.completed, got ${completed.type}`);
    expect(completed.details.source).toEqual({ commit: 'abc', tree: 'def', ref: 'HEAD', uncommittedIgnored: 0 });
    expect(completed.details.counts).toEqual({ done: 3, already: 0, failed: 0, skipped: 0, actions: 3 });
    const failed = computeApplyEvents(
      [{ ...results[2]!, status: 'failed', error: { code: 'connection-lost', message: 'cut' } }],
      { time: 't', actor: 'a' },
    );
    expect(failed.map((e) => e.type)).toEqual(['apply.completed']);
    expect(computeApplyFailedEvent({ code: 'guard', message: 'too many' }, { time: 't', actor: 'a' })).toMatchObject({
      type: 'apply.failed',
      details: { error: { code: 'guard', message: 'too many' } },
    });
    expect(JSON.stringify(events)).not.toMatch(/Tmp-\d+/);
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
