import { describe, expect, it } from 'vitest';
import { computeDesiredState } from '../../src/core/plan/compute-desired-state.js';
import { appended, evaluateScenario, grant } from '../helpers/pull-request.js';
import { at, NOW, validateWith, where } from '../helpers/sample-tree.js';

// `starts`: a grant approved now that the reconciler provisions only from its start date.
const JSMITH = 'access/people/jsmith.yaml';
const DAY = 24 * 3600 * 1000;
const withGrant = (extra: Record<string, string>) => appended(JSMITH, grant('project-tools', 'member', extra));

describe('grant starts', () => {
  it('validates: a real date, not after expires', () => {
    expect(validateWith(withGrant({ starts: '2026-12-01', expires: '2027-01-31' })).diagnostics).toEqual([]);
    const late = validateWith(withGrant({ starts: '2027-02-01', expires: '2027-01-31' }));
    expect(late.diagnostics.map((d) => d.code)).toEqual(['STARTS_AFTER_EXPIRY']);
    expect(where(late.diagnostics, 'STARTS_AFTER_EXPIRY')).toEqual([at(late, JSMITH, '"2027-02-01"')]);
    const unreal = validateWith(withGrant({ starts: '2026-02-30' }));
    expect(unreal.diagnostics.map((d) => d.code)).toEqual(['SCHEMA_FORMAT']);
  });

  it('is not provisioned before its start day (UTC), and is from that day on', () => {
    const tree = validateWith(withGrant({ starts: '2026-11-25' })).tree;
    const members = (now: number): boolean =>
      computeDesiredState(tree, now).groups.get('proj-members')?.members.has('jsmith') ?? false;
    expect(members(NOW)).toBe(false);
    expect(members(Date.parse('2026-11-24T23:59:59Z'))).toBe(false);
    expect(members(Date.parse('2026-11-25T00:00:00Z'))).toBe(true);
    expect(members(NOW + 10 * DAY)).toBe(true);
    // Not started is not expired: nothing to remove or report.
    expect(computeDesiredState(tree, NOW).groups.get('proj-members')?.expired.has('jsmith')).toBe(false);
  });

  it('an earlier or removed start is judged as a new grant; a later one is a narrowing', () => {
    const base = withGrant({ starts: '2026-12-15' });
    const kind = (head: Record<string, string>) =>
      evaluateScenario({ base, head }).changes.map((c) => [c.kind, c.tier]);
    expect(kind(withGrant({ starts: '2026-12-01' }))).toEqual([['grant-extended', 'standard']]);
    expect(kind(withGrant({}))).toEqual([['grant-extended', 'standard']]);
    expect(kind(withGrant({ starts: '2027-01-15' }))[0]![0]).toBe('grant-changed');
  });
});
