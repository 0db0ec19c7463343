/**
 * aac as a library, for hosting its parts in your own process: the CLI as a function, and the
 * approval app for a Probot server of your own. Most organisations need none of this: they run
 * `npx aac` and the GitHub Action (see the README, "Use aac in your organisation").
 * @example import { createApprovalApp, createAuditLogFor } from 'aac';
 *          await probot.load(createApprovalApp({ auditLog: createAuditLogFor({ auditBranch: 'access-audit' }) }));
 */
export { main as runCli } from './entrypoints/cli/main.js';
export type { CliIO } from './entrypoints/cli/cli-io.js';
export { createApprovalApp } from './entrypoints/app/approval-app.js';
export type { ApprovalAppOptions, AuditLogFactory } from './entrypoints/app/approval-app.js';
export { createAuditLogFor } from './entrypoints/app/create-audit-log-for.js';
export { main as startApprovalApp } from './entrypoints/app/main.js';
