import { readGitAuditFiles } from '../../adapters/git/git-audit-log.js';
import { readFileVersions } from '../../adapters/git/read-access-files-at.js';
import { readGitHistory } from '../../adapters/git/read-git-history.js';
import type { AuditRecord } from '../../core/audit/audit-event.js';
import { parseAuditFiles } from '../../core/audit/audit-files.js';
import type { RecordPlace, UnreadableLine } from '../../core/audit/audit-files.js';
import type { PersonChange } from '../../core/audit/compute-grant-changes.js';
import { sha256Node } from '../../adapters/crypto/sha256-node.js';
import { verifyChain } from '../../core/audit/hash-chain.js';
import type { HistoryCommit } from '../../core/audit/parse-git-log.js';
import type { TierTargets } from '../../core/audit/compute-period-report.js';
import type { RetiredIdentity, ValidationResult } from '../../core/validate/validate-access-tree.js';
import { readBlobs } from '../../adapters/git/run-git.js';
import type { AuditContext } from './audit-options.js';

export interface AuditData {
  commits: HistoryCommit[];
  records: AuditRecord[];
  places: RecordPlace[];
  unreadable: UnreadableLine[];
  /** Whether the audit log's chain is intact (and every line readable); with `hashes: false`, only its links were checked. */
  chainIntact: boolean;
  /** The access tree as committed on the branch, validated (its diagnostics feed the evidence); undefined with `tree: 'tiers'`. */
  validation: ValidationResult | undefined;
  /** The policy's tiers (targets of time to provision). */
  tiers: TierTargets | undefined;
}

// Modules that load YAML or schemas are imported inside the functions, after git has been
// started, so loading them overlaps with git reading the history.

/**
 * The facts every report needs, read with a constant number of git processes whatever the
 * history's length. `tree: 'tiers'` reads only the policy's tiers instead of validating the
 * whole tree (the period report needs no more, and skips compiling the schemas).
 */
export async function readAuditData(ctx: AuditContext, options: { accessRoot: string; now: number; retired?: readonly RetiredIdentity[]; hashes: boolean; tree: 'validated' | 'tiers'; history?: Promise<HistoryCommit[]> }): Promise<AuditData> {
  // git log is the long pole: start it first (unless the caller already has) and do the rest while it runs (two cores).
  const history = options.history ?? readGitHistory({ ...ctx, range: ctx.branch });
  const auditFiles = readGitAuditFiles(ctx.repoDir, ctx.auditBranch);
  history.catch(() => undefined); // awaited below; keeps an early failure from going unhandled meanwhile
  auditFiles.catch(() => undefined);
  let validation: ValidationResult | undefined;
  let tiers: TierTargets | undefined;
  if (options.tree === 'validated') {
    const [{ readAccessFilesAt }, { loadSchemas }, { createSchemaChecker }, { validateAccessTree }] = await Promise.all([
      import('../../adapters/git/read-access-files-at.js'),
      import('../../adapters/fs/load-schemas.js'),
      import('../../core/validate/schema-diagnostics.js'),
      import('../../core/validate/validate-access-tree.js'),
    ]);
    const accessFiles = await readAccessFilesAt(ctx.repoDir, ctx.branch, options.accessRoot);
    validation = validateAccessTree({ root: options.accessRoot, files: accessFiles, checkSchema: createSchemaChecker(loadSchemas()), now: options.now, ...(options.retired ? { retired: options.retired } : {}) });
    tiers = validation.tree.policy?.value.tiers;
  } else {
    const [policy, { parseTierTargets }] = await Promise.all([readBlobs(ctx.repoDir, [`${ctx.branch}:${options.accessRoot}/policy.yaml`]), import('../../core/audit/parse-loose-yaml.js')]);
    tiers = parseTierTargets(policy[0]);
  }
  const { records, places, unreadable } = parseAuditFiles(await auditFiles);
  const chainIntact = unreadable.length === 0 && verifyChain(records, options.hashes ? { hash: sha256Node } : { links: 'only' }).length === 0;
  return { commits: await history, records, places, unreadable, chainIntact, validation, tiers };
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
  const [versions, { computeGrantChanges }] = await Promise.all([readFileVersions(repoDir, pairs), import('../../core/audit/compute-grant-changes.js')]);
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
