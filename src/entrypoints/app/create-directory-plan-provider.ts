import { computeDesiredState } from '../../core/plan/compute-desired-state.js';
import { computePlan } from '../../core/plan/compute-plan.js';
import { computePlanSection } from '../../core/plan/compute-plan-section.js';
import type { PlanSection } from '../../core/plan/compute-plan-section.js';
import { computeDirectoryLayout } from '../../core/plan/directory-layout.js';
import type { DirectoryLayout } from '../../core/plan/directory-layout.js';
import type { Directory } from '../../core/plan/directory.js';
import { hasErrors } from '../../core/diagnostics.js';
import { DirectoryError } from '../../errors.js';
import type { PlanProvider } from './evaluate-and-report.js';

export interface DirectoryPlanProviderOptions {
  /** Opens the directory for one read (LDAP from the environment, or a test directory). */
  openDirectory: (layout: DirectoryLayout) => Promise<Directory>;
  /** The clock (ms since the epoch): expiry and the 72-hour rule. */
  now: () => number;
  /** AAC_LDAP_BASE_DN, when set. */
  baseDnOverride?: string;
}

/**
 * The approval app's directory plan: what `aac apply` would do if the pull request's head were
 * merged now, computed by the same `computePlan`. Nothing is shown for heads with errors; a
 * directory that cannot be read is reported in the section, never as a failed evaluation.
 */
export function createDirectoryPlanProvider(options: DirectoryPlanProviderOptions): PlanProvider {
  return async ({ evaluation }): Promise<PlanSection | undefined> => {
    const policy = evaluation.trees.head.policy?.value;
    if (!policy || hasErrors(evaluation.diagnostics)) return undefined;
    const layout = computeDirectoryLayout(policy.directory, options.baseDnOverride, policy.reconcile);
    const now = options.now();
    let directory: Directory | undefined;
    try {
      directory = await options.openDirectory(layout);
      const observed = await directory.read();
      return computePlanSection(
        computePlan(computeDesiredState(evaluation.trees.head, now), observed, {
          now,
          flavor: layout.flavor,
          guards: policy.guards,
        }),
      );
    } catch (error) {
      if (!(error instanceof DirectoryError)) throw error;
      return {
        actions: [],
        summary: `The directory plan is not available: the directory could not be read (${error.code}).`,
      };
    } finally {
      await directory?.close();
    }
  };
}
