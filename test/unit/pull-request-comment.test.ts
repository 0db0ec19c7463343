import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/adapters/render/render-template.js';
import { computeReviewRequests } from '../../src/core/policy/compute-review-requests.js';
import { COMMENT_MARKER, computeCommentView } from '../../src/core/policy/compute-comment-view.js';
import { appended, evaluateScenario, grant, review } from '../helpers/pull-request.js';
import { sampleFiles } from '../helpers/sample-tree.js';

const JSMITH = 'access/people/jsmith.yaml';
const render = (view: object): string => renderTemplate('pull-request-comment.md', view);

describe('the pull-request comment (templates/pull-request-comment.md.hbs)', () => {
  it('starts with the marker and shows each level with who approved or who may approve', () => {
    const head = {
      ...appended(JSMITH, grant('project-tools', 'member')),
      ...appended('access/people/hmueller.yaml', grant('crm', 'sales-rep')),
    };
    const text = render(
      computeCommentView(evaluateScenario({ head, author: 'sroberts-iam', reviews: [review('mjohnson-ex')] })),
    );
    expect(text.startsWith(COMMENT_MARKER)).toBe(true);
    expect(text).toContain('✅ manager: mjohnson-ex');
    expect(text).toContain('⏳ manager: @rbrown-ex');
    expect(text).not.toContain('Directory plan');
  });

  it('shows the directory plan when one is given, and escapes text from the files', () => {
    const view = computeCommentView(evaluateScenario({ head: appended(JSMITH, grant('project-tools', 'member')) }), {
      summary: '1 operation',
      actions: [
        {
          type: 'add-member',
          target: 'cn=proj-members,ou=groups,dc=example,dc=org',
          detail: '<img src=x onerror=alert(1)>',
        },
      ],
    });
    const text = render(view);
    expect(text).toContain('#### Directory plan after merge');
    expect(text).toMatch(/- \*\*add-member\*\* cn&#x3D;proj-members/);
    expect(text).not.toContain('<img');
  });

  it('lists the problems of an invalid head and the blocked reasons', () => {
    const external = appended('access/people/jdoe.acme.yaml', grant('crm', 'admin', { expires: '2027-06-30' }));
    const text = render(computeCommentView(evaluateScenario({ head: external })));
    expect(text).toContain('⛔');
    expect(text).toContain('`PRIVILEGE_ESCALATION`');
    expect(text).toContain('#### Problems in the access files');
  });
});

describe('computeReviewRequests', () => {
  it('asks the missing levels: teams as teams, other sources as people; not those already asked or approving', () => {
    const withAttestations = sampleFiles()[JSMITH]!.replace(
      '  training: "2026-11-02"\n',
      '  training: "2026-11-02"\n  deviceEncryption: true\n  vpn: true\n',
    );
    const evaluation = evaluateScenario({
      base: { [JSMITH]: withAttestations },
      head: { [JSMITH]: `${withAttestations}${grant('production', 'deployer')}` },
      reviews: [review('mjohnson-ex')],
    });
    expect(computeReviewRequests(evaluation, { users: [], teams: [] })).toEqual({
      users: ['dwilliams-ex'],
      teams: ['example/it-security'],
    });
    expect(computeReviewRequests(evaluation, { users: ['DWilliams-EX'], teams: ['example/it-security'] })).toEqual({
      users: [],
      teams: [],
    });
  });

  it('asks nobody for a blocked pull request', () => {
    const evaluation = evaluateScenario({
      head: appended('access/people/jdoe.acme.yaml', grant('crm', 'admin', { expires: '2027-06-30' })),
    });
    expect(computeReviewRequests(evaluation, { users: [], teams: [] })).toEqual({ users: [], teams: [] });
  });
});
