import { AUDIT_HISTORY_LOG_ARGS } from '../../core/audit/verify-audit-history.js';
import { resolveCommit } from './run-git.js';
import { runGitLarge } from './run-git-large.js';

/** Where the audit log was found, and the other copy to compare it with. */
export interface AuditBranchLocation {
  /** The branch name asked for (`access-audit`). */
  name: string;
  /** What to read: `access-audit`, `refs/remotes/origin/access-audit`, or the revision as given. */
  rev: string;
  /** `local`: the local branch; `remote`: only the remote-tracking branch exists (a fresh clone); `revision`: given as a revision. */
  source: 'local' | 'remote' | 'revision';
  /** The remote-tracking copy when the local branch was read and `origin/<name>` exists too. */
  remoteRev?: string;
}

/**
 * Finds the audit log: the local branch, else `origin/<name>` (a fresh clone has only that),
 * else `name` as a revision (`origin/access-audit`, a commit). Undefined when none exists; the
 * caller decides whether that is a usage error (a name the user gave) or "no log yet".
 */
export async function locateAuditBranch(repoDir: string, name: string): Promise<AuditBranchLocation | undefined> {
  const local = await resolveCommit(repoDir, `refs/heads/${name}`);
  const tracking = await resolveCommit(repoDir, `refs/remotes/origin/${name}`);
  if (local !== undefined)
    return {
      name,
      rev: `refs/heads/${name}`,
      source: 'local',
      ...(tracking !== undefined ? { remoteRev: `refs/remotes/origin/${name}` } : {}),
    };
  if (tracking !== undefined) return { name, rev: `refs/remotes/origin/${name}`, source: 'remote' };
  if ((await resolveCommit(repoDir, name)) !== undefined) return { name, rev: name, source: 'revision' };
  return undefined;
}

/** The audit branch's history as a patch, oldest commit first (see verifyAuditHistory); one git process. */
export async function readAuditHistoryPatch(repoDir: string, rev: string): Promise<string> {
  return (await runGitLarge([...AUDIT_HISTORY_LOG_ARGS, rev, '--'], { cwd: repoDir })).toString('utf8');
}
