import type { Diagnostic } from '../diagnostics.js';
import type { ChangeDetails } from './compute-change-details.js';
import type { EvaluatedChange, Evaluation, EvaluationStatus, LevelStatus } from './evaluate-pull-request.js';

/** One level as shown to people and tools. */
export interface LevelRow {
  level: string;
  description?: string;
  satisfiedBy: string | null;
  /** The uid a deputy approved for. */
  onBehalfOf?: string;
  /** Who may still approve (nobody who fills another level of this change). */
  candidates: string[];
  /** Why the fallback approvers are in use. */
  fallback?: string;
  /** Why the level cannot be met, and what would unblock it. */
  unmet?: string;
  rejection?: { by: string; reason: string; at: string };
  appeal?: { by: string; text: string; at: string; to: string | null };
  /** Logins named by the level's sources that may not approve, and why. */
  excluded: Array<{ login: string; reason: string }>;
}

/** One change as shown to people and tools: what it is, what it grants, why its tier, who approves. */
export interface ChangeRow {
  kind: string;
  subject: string;
  file: string;
  line: number;
  previousPath?: string;
  fileStatus?: string;
  tier: string;
  /** Which rule made the change its tier. */
  why: string;
  blocked: string[];
  person?: ChangeDetails['person'];
  system?: ChangeDetails['system'];
  role?: ChangeDetails['role'];
  risk?: string;
  privileged?: boolean;
  externalRole?: boolean;
  expires?: string;
  emergency?: boolean;
  justification?: string;
  ticket?: string;
  /** What the directory will do once merged. */
  directory: string[];
  notes: string[];
  levels: LevelRow[];
}

/** The `aac evaluate --format json` document. */
export interface EvaluationJson {
  approved: boolean;
  status: EvaluationStatus;
  tier: string;
  changes: ChangeRow[];
  diagnostics: Array<Pick<Diagnostic, 'code' | 'severity' | 'message' | 'file' | 'line' | 'column'>>;
}

export function toEvaluationJson(evaluation: Evaluation): EvaluationJson {
  return {
    approved: evaluation.approved,
    status: evaluation.status,
    tier: evaluation.tier,
    changes: evaluation.changes.map(toChangeRow),
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

/** A change with only the fields people and tools see. */
export function toChangeRow(c: EvaluatedChange): ChangeRow {
  const d = c.details;
  return {
    kind: c.kind,
    subject: c.subject,
    file: c.file,
    line: c.line,
    ...(c.previousPath !== undefined ? { previousPath: c.previousPath } : {}),
    ...('fileStatus' in c ? { fileStatus: c.fileStatus } : {}),
    tier: c.tier,
    why: d.why,
    blocked: [...c.blocked],
    ...(d.person ? { person: d.person } : {}),
    ...(d.system ? { system: d.system } : {}),
    ...(d.role ? { role: d.role } : {}),
    ...(d.risk !== undefined ? { risk: d.risk } : {}),
    ...(d.privileged !== undefined ? { privileged: d.privileged } : {}),
    ...(d.externalRole !== undefined ? { externalRole: d.externalRole } : {}),
    ...(d.expires !== undefined ? { expires: d.expires } : {}),
    ...(d.emergency ? { emergency: true } : {}),
    ...(d.justification !== undefined ? { justification: d.justification } : {}),
    ...(d.ticket !== undefined ? { ticket: d.ticket } : {}),
    directory: [...d.effect],
    notes: [...d.notes],
    levels: c.levels.map(toLevelRow),
  };
}

function toLevelRow(l: LevelStatus): LevelRow {
  return {
    level: l.level,
    ...(l.description ? { description: l.description } : {}),
    satisfiedBy: l.satisfiedBy,
    ...(l.onBehalfOf ? { onBehalfOf: l.onBehalfOf } : {}),
    candidates: [...l.candidates],
    ...(l.fallback ? { fallback: l.fallback.note } : {}),
    ...(l.unmet ? { unmet: l.unmet } : {}),
    ...(l.rejection ? { rejection: { by: l.rejection.login, reason: l.rejection.reason, at: l.rejection.at } } : {}),
    ...(l.appeal ? { appeal: { by: l.appeal.by, text: l.appeal.text, at: l.appeal.at, to: l.appeal.to } } : {}),
    excluded: l.excluded.map((e) => ({ login: e.login, reason: e.reason })),
  };
}
