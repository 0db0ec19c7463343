import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../../src/core/policy/evaluate-pull-request.js';
import { computePlanSection, MAX_PLAN_SECTION_ACTIONS } from '../../src/core/plan/compute-plan-section.js';
import { DirectoryError } from '../../src/errors.js';
import { createDirectoryPlanProvider } from '../../src/entrypoints/app/create-directory-plan-provider.js';
import { NOW, sampleFiles, validateWith } from '../helpers/sample-tree.js';
import { converge, memoryDirectory, planFor } from '../helpers/reconcile.js';

/** The parts of an evaluation the provider reads: the head tree and its diagnostics. */
function evaluationOf(changes: Record<string, string | null>): Evaluation {
  const head = validateWith(changes);
  return {
    trees: { base: head.tree, head: head.tree },
    diagnostics: head.diagnostics,
  } as Partial<Evaluation> as Evaluation;
}
const side = { files: [], blobs: new Map<string, string>() };

describe('the directory plan on pull requests', () => {
  it('lists the actions of computePlan, capped, with the summary and guards', () => {
    const section = computePlanSection(planFor({}, { accounts: [], groups: [] }));
    expect(section.actions).toHaveLength(Math.min(32, MAX_PLAN_SECTION_ACTIONS));
    expect(section.actions[0]).toMatchObject({ type: 'create-account', target: 'alee' });
    expect(section.summary).toMatch(/^Plan: 15 to create/);
  });

  it('shows what merging the head would change in the directory, and closes it', async () => {
    const directory = memoryDirectory();
    await converge(directory);
    let closed = 0;
    const provider = createDirectoryPlanProvider({
      openDirectory: async () => ({
        read: () => directory.read(),
        write: () => Promise.reject(new Error('read-only')),
        close: async () => void closed++,
      }),
      now: () => NOW,
    });
    const head = {
      'access/people/jsmith.yaml': sampleFiles()['access/people/jsmith.yaml']!.replace(
        'status: active',
        'status: disabled',
      ),
    };
    const section = await provider({ base: side, head: side, evaluation: evaluationOf(head) });
    expect(section?.actions.map((a) => [a.type, a.target])).toEqual([
      ['update-members', 'crm-sales-reps'],
      ['update-members', 'email-users'],
      ['lock-account', 'jsmith'],
    ]);
    expect(closed).toBe(1);
  });

  it('says the plan is unavailable when the directory cannot be read, and shows nothing for invalid heads', async () => {
    const provider = createDirectoryPlanProvider({
      openDirectory: async () => {
        throw new DirectoryError('connect-failed', 'refused');
      },
      now: () => NOW,
    });
    expect(await provider({ base: side, head: side, evaluation: evaluationOf({}) })).toEqual({
      actions: [],
      summary: expect.stringContaining('(connect-failed)'),
    });
    const invalid = evaluationOf({ 'access/people/jsmith.yaml': 'kind: Person\nuid: jsmith\n' });
    expect(await provider({ base: side, head: side, evaluation: invalid })).toBeUndefined();
  });
});
