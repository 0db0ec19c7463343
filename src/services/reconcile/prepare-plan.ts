import { resolve } from 'node:path';
import { loadConfig } from '../../config.js';
import type { AacConfig } from '../../config.js';
import { hasErrors } from '../../core/diagnostics.js';
import { computeDesiredState } from '../../core/plan/compute-desired-state.js';
import { computePlan } from '../../core/plan/compute-plan.js';
import { computeReconcilerMemory } from '../../core/plan/reconciler-memory.js';
import type { Plan } from '../../core/plan/compute-plan.js';
import { computeDirectoryLayout } from '../../core/plan/directory-layout.js';
import type { DirectoryLayout } from '../../core/plan/directory-layout.js';
import type { Directory } from '../../core/plan/directory.js';
import { InternalError } from '../../errors.js';
import { loadAccessTree } from '../load-access-tree.js';
import type { LoadedTree } from '../load-access-tree.js';
import { openDirectory } from './open-directory.js';
import { resolveAccessSource } from './resolve-access-source.js';
import { checkApprovals, readAppliedBaseline } from './check-approvals.js';
import { computePreviouslyGranted } from '../../core/audit/access-state.js';
import type { PreviouslyGranted } from '../../core/audit/access-state.js';
import type { ApprovalCheck, HoldOverride } from '../../core/audit/approval-records.js';
import type { AuditLog, AuditRecord } from '../../core/audit/audit-event.js';
import { withholdFromTree } from '../../core/audit/compute-approval-holds.js';
import type { HeldItem } from '../../core/audit/compute-approval-holds.js';
import type { AccessSource } from './resolve-access-source.js';

export interface PrepareOptions {
  /** The access folder, relative to `cwd`. */
  dir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `--directory file:PATH`, or undefined for LDAP from the environment. */
  directory?: string;
  now: number;
  history: boolean;
  /** Substitutes the directory (tests: a failing or short directory at the interface). */
  openDirectory?: (layout: DirectoryLayout) => Promise<Directory>;
  /** `--ref`: the commit whose files are applied (default `HEAD` in a git checkout). */
  ref?: string;
  /**
   * Where the approvals and the last apply are read from (see checkApprovals); also the
   * reconciler's memory: whose locks are aac's, which memberships it provisioned.
   */
  auditLog: Pick<AuditLog, 'read'>;
  /** `--override-holds`: provision what would be held, naming who and why. */
  override?: HoldOverride;
  /** Files parsed so far, for a progress line on large trees. */
  onProgress?: (done: number, total: number) => void;
  /** What the run does next, after the files: for a status line on a terminal. */
  onStage?: (stage: 'reading the directory' | 'computing the plan') => void;
}

export type Prepared =
  | { ok: false; loaded: LoadedTree; source: AccessSource }
  | {
      ok: true;
      loaded: LoadedTree;
      source: AccessSource;
      /** What was held back for want of an approval (the plan is computed without it). */
      approval: ApprovalCheck;
      /** What the previous run held (to log only new holds). */
      previouslyHeld: HeldItem[];
      plan: Plan;
      directory: Directory;
      layout: DirectoryLayout;
      config: AacConfig;
    };

/**
 * The shared first half of `aac plan` and `aac apply`: read and validate the files as committed
 * (see resolveAccessSource; invalid files
 * stop here, before the directory is contacted), open and read the directory, compute the plan.
 * The caller closes `directory`.
 */
export async function preparePlan(options: PrepareOptions): Promise<Prepared> {
  const dir = resolve(options.cwd, options.dir);
  const source = await resolveAccessSource(dir, options.ref);
  const loaded = await loadAccessTree(dir, {
    now: options.now,
    history: options.history,
    cwd: options.cwd,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(source.kind === 'commit'
      ? { committed: { repoDir: source.repoDir, commit: source.commit, root: source.root } }
      : {}),
  });
  const policy = loaded.result.tree.policy;
  if (hasErrors(loaded.result.diagnostics)) return { ok: false, loaded, source };
  if (!policy) throw new InternalError('a valid tree without a policy');
  const config = loadConfig(options.env);
  const layout = computeDirectoryLayout(
    policy.value.directory,
    options.directory === undefined ? config.ldap?.baseDn : undefined,
    policy.value.reconcile,
  );
  const directory = options.openDirectory
    ? await options.openDirectory(layout)
    : await openDirectory(options.directory, layout, config, options.cwd);
  try {
    options.onStage?.('reading the directory');
    // The audit log is read once: for approvals and the applied baseline, and as the reconciler's
    // memory (whose locks are aac's, what it provisioned), which holds outside git too.
    const [observed, records] = await Promise.all([directory.read(), options.auditLog.read()]);
    options.onStage?.('computing the plan');
    const { approval, previouslyHeld, previouslyGranted } = await readApprovalCheck(loaded, source, options, records);
    const held = approval.mode === 'checked' ? approval.held : [];
    const desired = computeDesiredState(withholdFromTree(loaded.result.tree, held), options.now);
    const plan = computePlan(desired, observed, {
      now: options.now,
      flavor: layout.flavor,
      guards: policy.value.guards,
      previouslyGranted,
      memory: computeReconcilerMemory(records),
    });
    return { ok: true, loaded, source, approval, previouslyHeld, plan, directory, layout, config };
  } catch (error) {
    await directory.close();
    throw error;
  }
}

/**
 * What the last apply gave (the baseline) decides two things: what of this commit needs an
 * approval (reconcile.requireApproval), and which removals are revocations rather than drift.
 * In a git checkout the audit log is read for it always; outside git there is no baseline.
 */
async function readApprovalCheck(
  loaded: LoadedTree,
  source: AccessSource,
  options: PrepareOptions,
  log: readonly AuditRecord[],
): Promise<{ approval: ApprovalCheck; previouslyHeld: HeldItem[]; previouslyGranted: PreviouslyGranted }> {
  const requireApproval = loaded.result.tree.policy?.value.reconcile?.requireApproval === true;
  if (source.kind !== 'commit' && !requireApproval)
    return { approval: { mode: 'off' }, previouslyHeld: [], previouslyGranted: new Map() };
  const records = source.kind === 'commit' ? log : [];
  const baseline = await readAppliedBaseline(source, records);
  const approval = await checkApprovals({
    source,
    tree: loaded.result.tree,
    baseline,
    records,
    requireApproval,
    ...(options.override ? { override: options.override } : {}),
  });
  return {
    approval,
    previouslyHeld: baseline.kind === 'applied' ? baseline.held : [],
    previouslyGranted:
      baseline.kind === 'applied' ? computePreviouslyGranted(baseline.state, loaded.result.tree) : new Map(),
  };
}
