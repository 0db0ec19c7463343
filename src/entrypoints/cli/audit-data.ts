import { readGitAuditFiles } from '../../adapters/git/git-audit-log.js';
import { readFileVersions } from '../../adapters/git/read-access-files-at.js';
import { readGitHistory } from '../../adapters/git/read-git-history.js';
import type { AuditRecord } from '../../core/audit/audit-event.js';
import { parseAuditFiles } from '../../core/audit/audit-files.js';
import type { RecordPlace, UnreadableLine } from '../../core/audit/audit-files.js';
import type { PersonChange } from '../../core/audit/compute-grant-changes.js';
import { verifyChain } from '../../core/audit/hash-chain.js';
import type { HistoryCommit } from '../../core/audit/parse-git-log.js';
import type { TierTargets } from '../../core/audit/compute-period-report.js';
import type { RetiredIdentity, ValidationResult } from '../../core/validate/validate-access-tree.js';
import { readBlobs } from '../../adapters/git/run-git.js';
import type { AuditContext } from './audit-options.js';

export interface AuditData extends AuditLogData {
  commits: HistoryCommit[];
}

/** The audit log, and the access tree or policy it is read against: everything but the history. */
export interface AuditLogData {
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

type ReadOptions = {
  accessRoot: string;
  now: number;
  retired?: readonly RetiredIdentity[];
  hashes: boolean;
  tree: 'validated' | 'tiers';
};

/**
 * The facts every report needs, read with a constant number of git processes whatever the
 * history's length. `tree: 'tiers'` reads only the policy's tiers instead of validating the
 * whole tree (the period report needs no more, and skips compiling the schemas).
 */
export async function readAuditData(ctx: AuditContext, options: ReadOptions): Promise<AuditData> {
  // git log is the long pole: start it first and do the rest while it runs (two cores).
  const history = readGitHistory({ ...ctx, range: ctx.branch });
  history.catch(() => undefined); // awaited below; keeps an early failure from going unhandled meanwhile
  const log = await readAuditLog(ctx, options);
  return { ...log, commits: await history };
}

/** readAuditData without the history, for a caller that reads it itself (and started it first). */
export async function readAuditLog(ctx: AuditContext, options: ReadOptions): Promise<AuditLogData> {
  const auditFiles = readGitAuditFiles(ctx.repoDir, ctx.auditBranch);
  auditFiles.catch(() => undefined); // awaited below
  let validation: ValidationResult | undefined;
  let tiers: TierTargets | undefined;
  if (options.tree === 'validated') {
    const [{ readAccessFilesAt }, { loadSchemas }, { createSchemaChecker }, { validateAccessTree }] = await Promise.all(
      [
        import('../../adapters/git/read-access-files-at.js'),
        import('../../adapters/fs/load-schemas.js'),
        import('../../core/validate/schema-diagnostics.js'),
        import('../../core/validate/validate-access-tree.js'),
      ],
    );
    const accessFiles = await readAccessFilesAt(ctx.repoDir, ctx.branch, options.accessRoot);
    validation = validateAccessTree({
      root: options.accessRoot,
      files: accessFiles,
      checkSchema: createSchemaChecker(loadSchemas()),
      now: options.now,
      ...(options.retired ? { retired: options.retired } : {}),
    });
    tiers = validation.tree.policy?.value.tiers;
  } else {
    const [policy, { parseTierTargets }] = await Promise.all([
      readBlobs(ctx.repoDir, [`${ctx.branch}:${options.accessRoot}/policy.yaml`]),
      import('../../core/audit/parse-loose-yaml.js'),
    ]);
    tiers = parseTierTargets(policy[0]);
  }
  const { records, places, unreadable } = parseAuditFiles(await auditFiles);
  // node:crypto (18 internal modules) is loaded only when every hash is recomputed.
  const check = options.hashes
    ? { hash: (await import('../../adapters/crypto/sha256-node.js')).sha256Node }
    : ({ links: 'only' } as const);
  const chainIntact = unreadable.length === 0 && verifyChain(records, check).length === 0;
  return { records, places, unreadable, chainIntact, validation, tiers };
}

/**
 * What each landing commit changed in person files: landing commit -> uid -> changes. Only
 * files passing `wanted` (and, with `mentioning`, whose text before or after contains it) are parsed.
 */
export async function readPersonChanges(
  repoDir: string,
  commits: readonly HistoryCommit[],
  options: { accessRoot: string; uid?: string; mentioning?: string },
): Promise<Map<string, Map<string, PersonChange[]>>> {
  const prefix = `${options.accessRoot}/people/`;
  const pairs: Array<[string, string]> = [];
  for (const c of commits) {
    for (const f of c.files) {
      if (!f.path.startsWith(prefix) || !/\.ya?ml$/.test(f.path)) continue;
      if (
        options.uid !== undefined &&
        f.path !== `${prefix}${options.uid}.yaml` &&
        f.path !== `${prefix}${options.uid}.yml`
      )
        continue;
      pairs.push([c.sha, f.path]);
    }
  }
  const [versions, { computeGrantChanges }] = await Promise.all([
    readFileVersions(repoDir, pairs),
    import('../../core/audit/compute-grant-changes.js'),
  ]);
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
