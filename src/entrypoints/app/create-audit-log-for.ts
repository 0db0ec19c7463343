import type { AuditEvent, AuditLog, AuditRecord } from '../../core/audit/audit-event.js';
import { chainEvents } from '../../core/audit/hash-chain.js';
import type { AuditLogFactory } from './approval-app.js';

/**
 * THE place where the app and the Actions workflow choose their audit store (one function, so
 * swapping the store is a one-line change). Until the GitHub-branch store
 * (`createGitHubAuditLog` in src/adapters/github/github-audit-log.ts) is on main, records are
 * hash-chained in process and written as JSON lines to standard output, where the app's log
 * collector (or the workflow log) keeps them.
 */
export function createAuditLogFor(_env: NodeJS.ProcessEnv, write: (line: string) => void = (line) => process.stdout.write(line)): AuditLogFactory {
  return ({ owner, repo }) => createStreamAuditLog(`${owner}/${repo}`, write);
}

/** An AuditLog that writes each record as one JSON line `{"audit": <record>, "repository": ...}`. */
export function createStreamAuditLog(repository: string, write: (line: string) => void): AuditLog {
  const records: AuditRecord[] = [];
  return {
    async append(events: readonly AuditEvent[]): Promise<AuditRecord[]> {
      const added = chainEvents(records[records.length - 1], events);
      records.push(...added);
      for (const record of added) write(`${JSON.stringify({ audit: record, repository })}\n`);
      return added;
    },
    async read(): Promise<AuditRecord[]> {
      return [...records];
    },
  };
}
