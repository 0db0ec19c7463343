import { compareDiagnostics } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { buildAccessTree, markBroken } from '../model/access-tree.js';
import type { AccessTree } from '../model/access-tree.js';
import { locate, parseSource } from '../source.js';
import type { ParseResult, SourceFile } from '../source.js';
import type { SchemaChecker } from './schema-diagnostics.js';
import type { RetiredIdentity, Rule, RuleContext } from './rules/context.js';
import {
  checkFormerUids,
  checkIdentifierReuse,
  checkUniqueEmails,
  checkUniqueEmployeeIds,
  checkUniqueGithubLogins,
} from './rules/identity-rules.js';
import {
  checkManagerCycles,
  checkPersonReferences,
  checkPolicyReferences,
  checkUniqueGroups,
} from './rules/reference-rules.js';
import { checkExternalPeople } from './rules/external-rules.js';
import { checkAttestations, checkEmergencyGrants, checkGrantDates, checkStatusReasons } from './rules/grant-rules.js';
import { checkSeparationOfDuties } from './rules/sod-rules.js';
import { checkForbiddenTerms } from './rules/text-rules.js';
import { checkDuplicateOrganizations } from './rules/organization-rules.js';
import { checkDirectoryValues, checkUnmanaged } from './rules/directory-rules.js';

export type { RetiredIdentity } from './rules/context.js';

/** A file as read from disk or from git: its display path and its bytes, or the reason it could not be read. */
export type InputFile = { path: string; content: Uint8Array | string } | { path: string; problem: Diagnostic };

export interface ValidateOptions {
  /** The access folder as shown in paths, e.g. `access`. */
  root: string;
  files: readonly InputFile[];
  checkSchema: SchemaChecker;
  /** Time of the check, in milliseconds since the epoch (expiry and emergency limits depend on it). */
  now: number;
  /** Identifiers retired in git history; the policy's tombstones are added to these. */
  retired?: readonly RetiredIdentity[];
  /** `files[i]` already parsed with `parseSource` (e.g. on several threads); parsed here when absent. */
  parsed?: ReadonlyArray<ParseResult | undefined>;
  /** Called every few hundred files while parsing, for a progress line on large trees. */
  onProgress?: (done: number, total: number) => void;
}

export interface ValidationResult {
  tree: AccessTree;
  sources: SourceFile[];
  /** Sorted by file, line, column. */
  diagnostics: Diagnostic[];
}

/** The cross-file rules, in the order their diagnostics are computed (output is sorted anyway). */
export const RULES: readonly Rule[] = [
  checkUniqueEmployeeIds,
  checkUniqueEmails,
  checkFormerUids,
  checkUniqueGithubLogins,
  checkIdentifierReuse,
  checkPersonReferences,
  checkManagerCycles,
  checkPolicyReferences,
  checkUniqueGroups,
  checkExternalPeople,
  checkSeparationOfDuties,
  checkEmergencyGrants,
  checkGrantDates,
  checkStatusReasons,
  checkAttestations,
  checkForbiddenTerms,
  checkDuplicateOrganizations,
  checkDirectoryValues,
  checkUnmanaged,
];

/**
 * Parses and checks a whole access tree: syntax, schema, then the cross-file rules.
 * Pure: the caller reads the files, the schemas and the history, and supplies the time.
 */
export function validateAccessTree(options: ValidateOptions): ValidationResult {
  const diagnostics: Diagnostic[] = [];
  const valid: SourceFile[] = [];
  const sources: SourceFile[] = [];
  const broken: SourceFile[] = [];
  const total = options.files.length;
  for (const [index, file] of options.files.entries()) {
    if (options.onProgress && index % 500 === 0) options.onProgress(index, total);
    if ('problem' in file) {
      diagnostics.push(file.problem);
      continue;
    }
    const parsed = options.parsed?.[index] ?? parseSource(file.path, file.content);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.source) continue;
    sources.push(parsed.source);
    const schemaProblems = options.checkSchema(parsed.source);
    diagnostics.push(...schemaProblems);
    (schemaProblems.length === 0 ? valid : broken).push(parsed.source);
  }

  options.onProgress?.(total, total);
  const built = buildAccessTree(options.root, valid);
  const tree = built.tree;
  diagnostics.push(...built.diagnostics);
  for (const source of broken) markBroken(tree, source);

  if (!tree.policy && !tree.broken.policy) {
    const file = `${options.root.replace(/\/+$/, '')}/policy.yaml`;
    diagnostics.push({
      code: 'MISSING_POLICY',
      severity: 'error',
      message: `no Policy found; create ${file} with kind: Policy`,
      file,
      line: 1,
      column: 1,
    });
  }

  const context: RuleContext = {
    tree,
    now: options.now,
    retired: [...(options.retired ?? []), ...policyTombstones(tree)],
  };
  for (const rule of RULES) diagnostics.push(...rule(context));
  diagnostics.sort(compareDiagnostics);
  return { tree, sources, diagnostics };
}

function policyTombstones(tree: AccessTree): RetiredIdentity[] {
  const policy = tree.policy;
  if (!policy) return [];
  return policy.value.tombstones.map((t, i) => ({
    ...t,
    evidence: `tombstone at ${policy.source.path}:${locate(policy.source, ['tombstones', i]).line}`,
  }));
}
