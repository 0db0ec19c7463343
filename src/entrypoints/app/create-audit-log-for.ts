import { createGitHubAuditLog } from '../../adapters/github/github-audit-log.js';
import type { AuditLogFactory } from './approval-app.js';

/**
 * THE place where the app server and the Actions workflow choose their audit store: the
 * repository's audit branch, written through GitHub's git data API with the installation's
 * (or the workflow's) token. `auditBranch` (AAC_AUDIT_BRANCH) names the branch (default `access-audit`).
 * @example createApprovalApp({ auditLog: createAuditLogFor(readAuditBranch(env)) })
 */
export function createAuditLogFor(settings: { auditBranch?: string }): AuditLogFactory {
  const branch = settings.auditBranch;
  return ({ octokit, owner, repo }) => createGitHubAuditLog({ octokit, owner, repo, ...(branch ? { branch } : {}) });
}
