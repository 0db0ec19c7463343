import { describe, expect, it } from 'vitest';
import { computeChangeSet } from '../../src/core/policy/compute-change-set.js';
import { appended, edited, grant, sideOf, sampleRepository } from '../helpers/pull-request.js';
import { positionOf, sampleFiles, validateWith } from '../helpers/sample-tree.js';

function changes(head: Record<string, string | null>, base: Record<string, string | null> = {}) {
  const b = validateWith(base);
  const h = validateWith(head, { base: b.files });
  const repo = sampleRepository();
  return computeChangeSet(
    { tree: b.tree, blobs: sideOf(b.files, repo).blobs },
    { tree: h.tree, blobs: sideOf(h.files, repo).blobs },
    { accessDir: 'access' },
  ).map((c) => {
    const { kind, subject, file, line } = c;
    return { kind, subject, file, line, ...('fields' in c && c.fields ? { fields: c.fields } : {}) };
  });
}

const PK = 'access/people/pkowalski.yaml';

describe('computeChangeSet', () => {
  it('no difference, no changes', () => {
    expect(changes({})).toEqual([]);
  });

  it('a later expires is a grant-extended; an earlier one or a new justification only a grant-changed', () => {
    const later = edited(PK, '    role: user\n    expires: "2027-03-31"', '    role: user\n    expires: "2027-09-30"');
    expect(changes(later)).toEqual([
      {
        kind: 'grant-extended',
        subject: 'pkowalski',
        file: PK,
        line: positionOf(later[PK]!, '- system: email').line,
        fields: ['expires'],
      },
    ]);
    const earlier = edited(
      PK,
      '    role: user\n    expires: "2027-03-31"',
      '    role: user\n    expires: "2027-01-31"',
    );
    expect(changes(earlier).map((c) => c.kind)).toEqual(['grant-changed']);
    const dropped = edited(PK, '    role: user\n    expires: "2027-03-31"\n', '    role: user\n');
    expect(changes(dropped).map((c) => c.kind)).toEqual(['grant-extended']);
  });

  it('a new person brings person-added plus one grant-added per grant, each at its line', () => {
    const text = `kind: Person\nuid: nnew\nname: Nora New\nemail: nora.new@example.org\ntype: employee\ndepartment: sales\nmanager: mjohnson\nstatus: active\nattestations: { mfa: true }\ngrants:\n${grant('email', 'user')}${grant('project-tools', 'member')}`;
    const result = changes({ 'access/people/nnew.yaml': text });
    expect(result.map((c) => [c.kind, c.line])).toEqual([
      ['person-added', 1],
      ['grant-added', positionOf(text, '- system: email').line],
      ['grant-added', positionOf(text, '- system: project-tools').line],
    ]);
  });

  it('a removed person file is a person-removed at the base file', () => {
    const line = positionOf(sampleFiles()['access/people/jsmith.yaml']!, 'kind: Person').line;
    expect(changes({ 'access/people/jsmith.yaml': null })).toEqual([
      { kind: 'person-removed', subject: 'jsmith', file: 'access/people/jsmith.yaml', line },
    ]);
  });

  it('identity and status changes are separate changes naming the fields', () => {
    const head = edited('access/people/jsmith.yaml', 'status: active', 'status: disabled', {
      ...sampleFiles(),
      ...edited('access/people/jsmith.yaml', 'github: jsmith-ex', 'github: jane-s'),
    });
    const text = head['access/people/jsmith.yaml']!;
    expect(changes(head)).toEqual([
      {
        kind: 'person-identity-changed',
        subject: 'jsmith',
        file: 'access/people/jsmith.yaml',
        line: positionOf(text, 'jane-s').line,
        fields: ['github'],
      },
      {
        kind: 'person-status-changed',
        subject: 'jsmith',
        file: 'access/people/jsmith.yaml',
        line: positionOf(text, 'disabled').line,
      },
    ]);
  });

  it('system changes are per role, and the policy change names its fields', () => {
    const crm = appended('access/systems/crm.yaml', '  auditor:\n    group: crm-auditors\n');
    const policy = edited('access/policy.yaml', 'maxDeletions: 5', 'maxDeletions: 50');
    const result = changes({ ...crm, ...policy });
    expect(result.map((c) => [c.kind, c.subject, c.fields ?? []])).toEqual([
      ['role-added', 'crm/auditor', []],
      ['policy-changed', 'access/policy.yaml', ['guards']],
    ]);
  });

  it('a file broken in head is not a removal (validation reports it instead)', () => {
    expect(
      changes({
        'access/people/jsmith.yaml': sampleFiles()['access/people/jsmith.yaml']!.replace(
          'type: employee',
          'type: robot',
        ),
      }),
    ).toEqual([]);
  });
});
