import type { Diagnostic } from '../diagnostics.js';
import type { EvaluatedChange, Evaluation, EvaluationStatus, LevelStatus } from './evaluate-pull-request.js';

/** One change as shown to people and tools; `L` adds per-level fields (the comment adds descriptions). */
export interface ChangeRow<L = object> {
  kind: string;
  subject: string;
  file: string;
  line: number;
  tier: string;
  blocked: string[];
  levels: Array<{ level: string; satisfiedBy: string | null; candidates: string[] } & L>;
}

/** The `--format json` document: exactly the shape the issue fixes. */
export interface EvaluationJson {
  approved: boolean;
  changes: ChangeRow[];
  diagnostics: Array<Pick<Diagnostic, 'code' | 'severity' | 'message' | 'file' | 'line' | 'column'>>;
}

export function toEvaluationJson(evaluation: Evaluation): EvaluationJson {
  return {
    approved: evaluation.approved,
    changes: evaluation.changes.map((c) => toChangeRow(c, () => ({}))),
    diagnostics: evaluation.diagnostics.map(({ code, severity, message, file, line, column }) => ({
      code,
      severity,
      message,
      file,
      line,
      column,
    })),
  };
}

/** A change with only the fields people and tools see, plus `extra` per level. */
function toChangeRow<L extends object>(c: EvaluatedChange, extra: (level: LevelStatus) => L): ChangeRow<L> {
  return {
    kind: c.kind,
    subject: c.subject,
    file: c.file,
    line: c.line,
    tier: c.tier,
    blocked: [...c.blocked],
    levels: c.levels.map((l) => ({
      level: l.level,
      satisfiedBy: l.satisfiedBy,
      candidates: [...l.candidates],
      ...extra(l),
    })),
  };
}

/** The directory plan shown on the pull request, when the caller computed one (see `computePlan` in core/plan). */
export interface PlanSection {
  /** One line per directory operation, e.g. `add-member cn=crm-admins uid=jsmith`. */
  actions: Array<{ type: string; target: string; detail?: string }>;
  /** Optional one-line summary, e.g. `3 operations`. */
  summary?: string;
}

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

/**
 * Plain text for a terminal: one block per change, one line per level.
 * @example formatEvaluationText(evaluation) // "access/people/jsmith.yaml:24 grant-added jsmith (standard)\n  manager: approved by mjohnson-ex\n..."
 */
export function formatEvaluationText(evaluation: Evaluation): string {
  const lines: string[] = [];
  for (const d of evaluation.diagnostics)
    lines.push(`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
  for (const c of evaluation.changes) {
    lines.push(`${c.file}:${c.line} ${c.kind} ${c.subject} (${c.tier})`);
    for (const reason of c.blocked) lines.push(`  blocked: ${reason}`);
    for (const l of c.levels) {
      if (l.satisfiedBy) lines.push(`  ${l.level}: approved by ${l.satisfiedBy}`);
      else
        lines.push(
          `  ${l.level}: missing; may approve: ${l.candidates.length > 0 ? l.candidates.join(', ') : '(nobody eligible)'}`,
        );
    }
  }
  if (evaluation.changes.length === 0) lines.push('no access changes');
  lines.push(
    `${evaluation.status === 'approved' ? 'approved' : evaluation.status === 'missing' ? 'approvals missing' : 'blocked'} (tier ${evaluation.tier}, ${evaluation.changes.length} change${evaluation.changes.length === 1 ? '' : 's'})`,
  );
  return `${lines.join('\n')}\n`;
}
