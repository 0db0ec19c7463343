import { readGitAuditFiles } from '../../adapters/git/git-audit-log.js';
import { readAccessFilesAt, readFileVersions } from '../../adapters/git/read-access-files-at.js';
import { readGitHistory } from '../../adapters/git/read-git-history.js';
import { loadSchemas } from '../../adapters/fs/load-schemas.js';
import type { AuditRecord } from '../../core/audit/audit-event.js';
import { parseAuditFiles } from '../../core/audit/audit-files.js';
import type { UnreadableLine } from '../../core/audit/audit-files.js';
import { computeGrantChanges } from '../../core/audit/compute-grant-changes.js';
import type { PersonChange } from '../../core/audit/compute-grant-changes.js';
import { verifyChain } from '../../core/audit/hash-chain.js';
import type { HistoryCommit } from '../../core/audit/parse-git-log.js';
import { createSchemaChecker } from '../../core/validate/schema-diagnostics.js';
import { validateAccessTree } from '../../core/validate/validate-access-tree.js';
import type { RetiredIdentity, ValidationResult } from '../../core/validate/validate-access-tree.js';
import type { AuditContext } from './audit-options.js';

export interface AuditData {
  commits: HistoryCommit[];
  records: Array<AuditRecord & { file: string; line: number }>;
  unreadable: UnreadableLine[];
  /** Whether the audit log's chain is intact (and every line readable). */
  chainIntact: boolean;
  /** The access tree as committed on the branch, validated (its diagnostics feed the evidence). */
  validation: ValidationResult;
}

/** The facts every report needs, read with a constant number of git processes whatever the history's length. */
export async function readAuditData(ctx: AuditContext, options: { accessRoot: string; now: number; retired?: readonly RetiredIdentity[] }): Promise<AuditData> {
  const [commits, files, accessFiles] = await Promise.all([
    readGitHistory({ ...ctx, range: ctx.branch }),
    readGitAuditFiles(ctx.repoDir, ctx.auditBranch),
    readAccessFilesAt(ctx.repoDir, ctx.branch, options.accessRoot),
  ]);
  const { records, unreadable } = parseAuditFiles(files);
  const validation = validateAccessTree({ root: options.accessRoot, files: accessFiles, checkSchema: createSchemaChecker(loadSchemas()), now: options.now, ...(options.retired ? { retired: options.retired } : {}) });
  return { commits, records, unreadable, chainIntact: unreadable.length === 0 && verifyChain(records).length === 0, validation };
}

/**
 * What each landing commit changed in person files: landing commit -> uid -> changes. Only
 * files passing `wanted` (and, with `mentioning`, whose text before or after contains it) are parsed.
 */
export async function readPersonChanges(repoDir: string, commits: readonly HistoryCommit[], options: { accessRoot: string; uid?: string; mentioning?: string }): Promise<Map<string, Map<string, PersonChange[]>>> {
  const prefix = `${options.accessRoot}/people/`;
  const pairs: Array<[string, string]> = [];
  for (const c of commits) {
    for (const f of c.files) {
      if (!f.path.startsWith(prefix) || !/\.ya?ml$/.test(f.path)) continue;
      if (options.uid !== undefined && f.path !== `${prefix}${options.uid}.yaml` && f.path !== `${prefix}${options.uid}.yml`) continue;
      pairs.push([c.sha, f.path]);
    }
  }
  const versions = await readFileVersions(repoDir, pairs);
  const out = new Map<string, Map<string, PersonChange[]>>();
  pairs.forEach(([sha, path], i) => {
    const [before, after] = versions[i]!;
    if (options.mentioning !== undefined && !`${before ?? ''}${after ?? ''}`.includes(options.mentioning)) return;
    const changes = computeGrantChanges(before, after);
    if (changes.length === 0) return;
    const uid = path.slice(prefix.length).replace(/\.ya?ml$/, '');
    const byUid = out.get(sha) ?? new Map<string, PersonChange[]>();
    byUid.set(uid, changes);
    out.set(sha, byUid);
  });
  return out;
}
