import type { Diagnostic } from '../diagnostics.js';
import { formatDiagnosticText } from '../format-diagnostics.js';
import { evaluatePullRequest } from '../policy/evaluate-pull-request.js';
import type { Evaluation } from '../policy/evaluate-pull-request.js';
import type { TeamMembers } from '../policy/team-members.js';
import type { SchemaChecker } from '../validate/schema-diagnostics.js';
import { validateAccessTree } from '../validate/validate-access-tree.js';
import type { InputFile } from '../validate/validate-access-tree.js';
import type { AccessRequest, RequestProblem } from './access-request.js';
import { computeRequestEdit } from './compute-request-edit.js';
import type { FileEdit } from './compute-request-edit.js';

export interface EvaluateRequestOptions {
  /** The access folder as the file paths name it, e.g. `access`. */
  root: string;
  /** The access files the request applies to (the base of its pull request). */
  files: readonly InputFile[];
  /** CODEOWNERS of that base, which the evaluation reads for the code-owners level. */
  codeowners?: { path: string; text: string };
  request: AccessRequest;
  /** Login of whoever asks: never counts as an approver. */
  author?: string;
  teams: TeamMembers;
  checkSchema: SchemaChecker;
  now: number;
  /** `$schema` path written at the top of a new person file. */
  schemaPath: string;
}

export type RequestOutcome =
  { status: 'invalid'; problems: RequestProblem[] } | { status: 'ready'; edit: FileEdit; evaluation: Evaluation };

/**
 * What a request would change and who would have to approve it, before anything is written:
 * the edit (computeRequestEdit), the tree with it validated by every rule, and the very
 * evaluation the approval app runs on the pull request (base: the files as they are; head: with
 * the edit). Problems the request brings in (a separation-of-duties conflict, a missing
 * attestation, an emergency grant too long) make it invalid; problems already in the files do not.
 * @example evaluateRequest({ root: 'access', files, request, teams: {}, checkSchema, now, schemaPath }).status
 */
export function evaluateRequest(options: EvaluateRequestOptions): RequestOutcome {
  const { root, files, checkSchema, now } = options;
  const base = validateAccessTree({ root, files, checkSchema, now });
  const computed = computeRequestEdit(base.tree, root, options.request, { schemaPath: options.schemaPath });
  if (!computed.ok) return { status: 'invalid', problems: computed.problems };
  const edit = computed.edit;
  const headFiles: InputFile[] = [
    ...files.filter((f) => f.path !== edit.path),
    { path: edit.path, content: edit.text },
  ];
  const side = (sideFiles: readonly InputFile[]) => ({
    files: sideFiles,
    blobs: new Map<string, string>(),
    ...(options.codeowners ? { codeowners: options.codeowners } : {}),
  });
  const evaluation = evaluatePullRequest({
    root,
    base: side(files),
    head: side(headFiles),
    headSha: 'request-preview',
    ...(options.author !== undefined ? { author: options.author } : {}),
    reviews: [],
    teams: options.teams,
    checkSchema,
    now,
  });
  const problems = [
    ...introducedErrors(base.diagnostics, evaluation.diagnostics, edit).map((d): RequestProblem => ({
      code: 'INVALID_CHANGE',
      field: fieldOf(d),
      message: formatDiagnosticText(d),
    })),
    ...evaluation.changes.flatMap((c) =>
      c.blocked.map((reason): RequestProblem => ({ code: 'BLOCKED', field: 'access', message: `blocked: ${reason}` })),
    ),
  ];
  if (problems.length > 0) return { status: 'invalid', problems: dedupe(problems) };
  return { status: 'ready', edit, evaluation };
}

/** Errors of the tree with the edit that the tree without it does not have (lines in the edited file move, so it is compared by code and message). */
function introducedErrors(before: readonly Diagnostic[], after: readonly Diagnostic[], edit: FileEdit): Diagnostic[] {
  const key = (d: Diagnostic): string =>
    d.file === edit.path
      ? `${d.file}\u0000${d.code}\u0000${d.message}`
      : `${d.file}:${d.line}:${d.column}\u0000${d.code}\u0000${d.message}`;
  const known = new Set(before.filter((d) => d.severity === 'error').map(key));
  return after.filter((d) => d.severity === 'error' && !known.has(key(d)));
}

/** Which answer a validation error is about, by its code. */
function fieldOf(d: Diagnostic): RequestProblem['field'] {
  if (d.code.startsWith('EMERGENCY_') || d.code === 'GRANT_EXPIRED' || d.code === 'EXTERNAL_TOO_LONG') return 'end';
  if (d.code === 'STARTS_AFTER_EXPIRY') return 'start';
  if (d.code === 'UNKNOWN_MANAGER' || d.code === 'MANAGER_CYCLE') return 'manager';
  if (d.code === 'UNKNOWN_DEPARTMENT') return 'department';
  if (d.code === 'DUPLICATE_EMAIL' || d.code === 'EMAIL_REUSED') return 'email';
  if (d.code === 'UID_REUSED' || d.code === 'DUPLICATE_ID') return 'uid';
  if (d.code === 'FORBIDDEN_TERM') return 'justification';
  return 'access';
}

function dedupe(problems: RequestProblem[]): RequestProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.message) && seen.add(p.message) !== undefined);
}
