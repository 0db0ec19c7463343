import { resolve } from 'node:path';
import { loadConfig } from '../../config.js';
import type { AacConfig } from '../../config.js';
import { hasErrors } from '../../core/diagnostics.js';
import { computeDesiredState } from '../../core/plan/compute-desired-state.js';
import { computePlan } from '../../core/plan/compute-plan.js';
import { computeReconcilerMemory } from '../../core/plan/reconciler-memory.js';
import type { AuditLog } from '../../core/audit/audit-event.js';
import type { Plan } from '../../core/plan/compute-plan.js';
import { computeDirectoryLayout } from '../../core/plan/directory-layout.js';
import type { DirectoryLayout } from '../../core/plan/directory-layout.js';
import type { Directory } from '../../core/plan/directory.js';
import { InternalError } from '../../errors.js';
import { loadAccessTree } from '../load-access-tree.js';
import type { LoadedTree } from '../load-access-tree.js';
import { openDirectory } from './open-directory.js';
import { resolveAccessSource } from './resolve-access-source.js';
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
  /** The reconciler's audit log: whose locks are aac's, which memberships it granted. */
  auditLog?: AuditLog;
}

export type Prepared =
  | { ok: false; loaded: LoadedTree; source: AccessSource }
  | {
      ok: true;
      loaded: LoadedTree;
      source: AccessSource;
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
    const observed = await directory.read();
    const desired = computeDesiredState(loaded.result.tree, options.now);
    const memory = options.auditLog ? computeReconcilerMemory(await options.auditLog.read()) : undefined;
    const plan = computePlan(desired, observed, {
      now: options.now,
      flavor: layout.flavor,
      guards: policy.value.guards,
      ...(memory ? { memory } : {}),
    });
    return { ok: true, loaded, source, plan, directory, layout, config };
  } catch (error) {
    await directory.close();
    throw error;
  }
}
