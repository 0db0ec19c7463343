import type { Diagnostic } from '../diagnostics.js';
import type { EvaluatedChange, Evaluation, LevelStatus } from './evaluate-pull-request.js';

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
export function toChangeRow<L extends object>(c: EvaluatedChange, extra: (level: LevelStatus) => L): ChangeRow<L> {
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
