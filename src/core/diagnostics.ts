/**
 * Diagnostics: problems found in user input, collected rather than thrown.
 * Positions are 1-based (line and column), as editors and GitHub annotations expect.
 */

/** Every diagnostic code aac emits. Tests assert on these, never on message text. */
export type DiagnosticCode =
  // reading and parsing
  | 'FILE_TOO_LARGE'
  | 'BINARY_FILE'
  | 'SYMBOLIC_LINK'
  | 'EMPTY_FILE'
  | 'YAML_SYNTAX'
  | 'DUPLICATE_KEY'
  | 'ALIAS_LIMIT'
  | 'MULTIPLE_DOCUMENTS'
  | 'NOT_A_MAPPING'
  | 'MISSING_KIND'
  | 'UNKNOWN_KIND'
  | 'MISPLACED_FILE'
  // schema
  | 'SCHEMA_REQUIRED'
  | 'SCHEMA_UNKNOWN_PROPERTY'
  | 'SCHEMA_TYPE'
  | 'SCHEMA_ENUM'
  | 'SCHEMA_PATTERN'
  | 'SCHEMA_FORMAT'
  | 'SCHEMA_RANGE'
  | 'SCHEMA_INVALID'
  | 'UNSAFE_IDENTIFIER'
  // identity
  | 'MISSING_POLICY'
  | 'DUPLICATE_POLICY'
  | 'ID_FILE_MISMATCH'
  | 'DUPLICATE_ID'
  | 'DUPLICATE_EMPLOYEE_ID'
  | 'DUPLICATE_EMAIL'
  | 'DUPLICATE_GITHUB'
  | 'UID_REUSED'
  | 'EMAIL_REUSED'
  | 'DUPLICATE_ORG'
  // references
  | 'UNKNOWN_MANAGER'
  | 'UNKNOWN_SPONSOR'
  | 'UNKNOWN_ORG'
  | 'UNKNOWN_DEPARTMENT'
  | 'UNKNOWN_SYSTEM'
  | 'UNKNOWN_ROLE'
  | 'UNKNOWN_LEVEL'
  | 'UNKNOWN_PERSON'
  | 'MANAGER_CYCLE'
  | 'DUPLICATE_GRANT'
  | 'DUPLICATE_GROUP'
  // access rules
  | 'EXTERNAL_NO_ORG'
  | 'EXTERNAL_NO_SPONSOR'
  | 'EXTERNAL_BAD_SPONSOR'
  | 'EXTERNAL_NO_JUSTIFICATION'
  | 'EXTERNAL_TOO_LONG'
  | 'PRIVILEGE_ESCALATION'
  | 'SOD_CONFLICT'
  | 'FORBIDDEN_TERM'
  | 'EMERGENCY_NO_EXPIRY'
  | 'EMERGENCY_TOO_LONG'
  | 'EMERGENCY_NO_JUSTIFICATION'
  | 'MISSING_ATTESTATION'
  | 'GRANT_EXPIRED'
  | 'STARTS_AFTER_EXPIRY'
  | 'STATUS_REASON_MISSING'
  | 'INACTIVE_REFERENCE'
  // values the directory would refuse
  | 'BLANK_VALUE'
  | 'DIRECTORY_LIMIT'
  | 'INVALID_UNMANAGED';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Path of the file as given to the validator, e.g. `access/people/jsmith.yaml`. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** Orders diagnostics by file, then position, then code, so output is stable. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
