import { createGitHubAuditLog } from '../../adapters/github/github-audit-log.js';
import type { AuditLogFactory } from './approval-app.js';

/**
 * THE place where the app server and the Actions workflow choose their audit store: the
 * repository's audit branch, written through GitHub's git data API with the installation's
 * (or the workflow's) token. `AAC_AUDIT_BRANCH` names the branch (default `access-audit`).
 * @example createApprovalApp({ auditLog: createAuditLogFor(process.env) })
 */
export function createAuditLogFor(env: NodeJS.ProcessEnv): AuditLogFactory {
  const branch = env['AAC_AUDIT_BRANCH'];
  return ({ octokit, owner, repo }) => createGitHubAuditLog({ octokit, owner, repo, ...(branch ? { branch } : {}) });
}
