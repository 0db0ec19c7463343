// Run as its own process (`vite-node append-audit-worker.ts REPO NAME COUNT [REMOTE]`) to race
// another writer: appends COUNT events one at a time, as a second `aac apply` would.
import { createGitAuditLog } from '../../src/adapters/git/git-audit-log.js';
import { approvals } from './audit-events.js';

const [repoDir = '', name = 'writer', count = '10', remote] = process.argv.slice(2);
const log = createGitAuditLog({ repoDir, ...(remote ? { push: { remote } } : {}), maxAttempts: 200 });
for (const event of approvals(name, Number(count))) await log.append([event]);
