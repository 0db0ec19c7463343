import type { Diagnostic } from '../diagnostics.js';
import type { PlanSection } from '../plan/compute-plan-section.js';
import type { Evaluation, EvaluationStatus } from './evaluate-pull-request.js';
import { toChangeRow } from './to-evaluation-json.js';
import type { ChangeRow } from './to-evaluation-json.js';

export const STATUS_HEADLINE: Record<EvaluationStatus, string> = {
  approved: 'Approved: every level of every change has an approval of the head commit',
  missing: 'Approvals missing',
  blocked: 'Blocked: fix the problems below; approvals cannot override them',
};

/** The values the pull-request comment template renders (templates/pull-request-comment.md.hbs). */
export interface CommentView {
  marker: string;
  status: EvaluationStatus;
  headline: string;
  tier: string;
  headSha: string;
  changeCount: number;
  changes: Array<ChangeRow<{ description?: string }>>;
  errors: Diagnostic[];
  warningCount: number;
  plan?: PlanSection;
}

/** Hidden marker that identifies the app's one comment on a pull request. */
export const COMMENT_MARKER = '<!-- aac:access-approvals -->';

export function computeCommentView(evaluation: Evaluation, plan?: PlanSection): CommentView {
  return {
    marker: COMMENT_MARKER,
    status: evaluation.status,
    headline: STATUS_HEADLINE[evaluation.status],
    tier: evaluation.tier,
    headSha: evaluation.headSha.slice(0, 10),
    changeCount: evaluation.changes.length,
    changes: evaluation.changes.map((c) =>
      toChangeRow(c, (l) => (l.description ? { description: l.description } : {})),
    ),
    errors: evaluation.diagnostics.filter((d) => d.severity === 'error'),
    warningCount: evaluation.diagnostics.filter((d) => d.severity === 'warning').length,
    ...(plan ? { plan } : {}),
  };
}
