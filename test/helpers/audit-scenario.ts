import { readFileSync } from 'node:fs';
import { createGitAuditLog } from '../../src/adapters/git/git-audit-log.js';
import { auditEvent } from './audit-events.js';
import { SAMPLE_DIR } from './sample-tree.js';
import { createSignedRepo } from './signed-repo.js';
import type { SignedRepo } from './signed-repo.js';

export interface AuditScenario {
  repo: SignedRepo;
  seed: string;
  grantMerge: string;
  grantHead: string;
  revokeMerge: string;
  unsignedCommit: string;
  env: NodeJS.ProcessEnv;
}

const CRM = `  - system: crm
    role: sales-rep
    justification: Manages customer accounts and opportunities in the Northeast territory.
`;

/**
 * The sample organisation's history as an auditor finds it: jsmith asks for CRM in pull
 * request #12 (her own signed commit), her manager approves, GitHub merges (signed), the
 * reconciler applies; later #15 revokes it, approved and applied a day late; meanwhile an
 * unsigned direct commit, a blocked escalation (#14) and an expiry. Events are written
 * through the real git audit log writer with the shapes the app and the reconciler use.
 */
export async function createAuditScenario(): Promise<AuditScenario> {
  const repo = createSignedRepo({ withSample: SAMPLE_DIR, github: true });
  const jsmith = readFileSync(`${SAMPLE_DIR}/people/jsmith.yaml`, 'utf8');
  repo.write('access/people/jsmith.yaml', jsmith.replace(CRM, ''));
  const seed = repo.commitAs('Seed the access repository', { date: '2026-11-01T08:00:00Z' });

  repo.git('checkout', '-q', '-b', 'jsmith/crm');
  repo.write('access/people/jsmith.yaml', jsmith);
  const grantHead = repo.commitAs('Request CRM sales-rep for jsmith', {
    author: { name: 'Jane Smith', email: 'jane.smith@example.org' },
    date: '2026-11-02T09:00:00Z',
  });
  repo.git('checkout', '-q', 'main');
  const grantMerge = repo.mergePullRequest('jsmith/crm', 12, 'jsmith-ex', { date: '2026-11-02T11:00:00Z' });

  repo.write('access/README.txt', 'notes\n');
  const unsignedCommit = repo.commitAs('Direct edit without signing', { key: 'none', date: '2026-11-05T08:00:00Z' });

  repo.git('checkout', '-q', '-b', 'revoke/jsmith-crm');
  repo.write('access/people/jsmith.yaml', jsmith.replace(CRM, ''));
  const revokeHead = repo.commitAs('Revoke CRM for jsmith: moved to marketing', {
    author: { name: 'Mike Johnson', email: 'mike.johnson@example.org' },
    date: '2026-11-10T09:00:00Z',
  });
  repo.git('checkout', '-q', 'main');
  const revokeMerge = repo.mergePullRequest('revoke/jsmith-crm', 15, 'mjohnson-ex', { date: '2026-11-10T10:00:00Z' });

  const log = createGitAuditLog({ repoDir: repo.dir });
  const change = (kind: string) => [{ kind, subject: 'jsmith', tier: 'standard', file: 'access/people/jsmith.yaml' }];
  await log.append([
    auditEvent('request.evaluated', {
      time: '2026-11-02T09:01:00Z',
      actor: 'aac-app',
      subject: 'jsmith',
      pr: 12,
      commit: grantHead,
      details: {
        approved: false,
        tier: 'standard',
        changes: change('grant-added'),
        missing: ['manager'],
        author: 'jsmith-ex',
      },
    }),
    auditEvent('level.approved', {
      time: '2026-11-02T10:00:00Z',
      actor: 'mjohnson-ex',
      subject: 'jsmith',
      pr: 12,
      commit: grantHead,
      details: { level: 'manager', reviewer: 'mjohnson-ex', reviewedAt: '2026-11-02T10:00:00Z', tier: 'standard' },
    }),
    auditEvent('request.approved', {
      time: '2026-11-02T10:00:05Z',
      actor: 'aac-app',
      subject: 'jsmith',
      pr: 12,
      commit: grantHead,
      details: {
        tier: 'standard',
        approvers: [{ level: 'manager', reviewer: 'mjohnson-ex', at: '2026-11-02T10:00:00Z' }],
      },
    }),
  ]);
  await log.append([
    auditEvent('apply.completed', {
      time: '2026-11-02T12:00:00Z',
      actor: 'aac-reconciler',
      commit: grantMerge,
      details: {
        actions: [{ type: 'update-members', subject: 'crm-sales-reps', result: 'done' }],
        counts: { done: 1, failed: 0, actions: 1 },
      },
    }),
  ]);
  await log.append([
    auditEvent('escalation.blocked', {
      time: '2026-11-06T09:00:00Z',
      actor: 'aac-app',
      subject: 'jdoe.acme',
      pr: 14,
      details: {
        reasons: ['external person given non-external role production/deployer'],
        file: 'access/people/jdoe.acme.yaml',
        grant: { system: 'production', role: 'deployer' },
      },
    }),
    auditEvent('request.rejected', {
      time: '2026-11-06T10:00:00Z',
      actor: 'kpatel-ciso',
      subject: 'jdoe.acme',
      pr: 14,
      details: { reason: 'externals never deploy to production', reviewer: 'kpatel-ciso' },
    }),
    auditEvent('grant.expired', {
      time: '2026-11-08T00:05:00Z',
      actor: 'aac-reconciler',
      subject: 'jsmith',
      details: { system: 'email', role: 'shared-mailbox', expires: '2026-11-07' },
    }),
  ]);
  await log.append([
    auditEvent('request.evaluated', {
      time: '2026-11-10T09:01:00Z',
      actor: 'aac-app',
      subject: 'jsmith',
      pr: 15,
      commit: revokeHead,
      details: {
        approved: false,
        tier: 'standard',
        changes: change('grant-removed'),
        missing: ['manager'],
        author: 'mjohnson-ex',
      },
    }),
    auditEvent('level.approved', {
      time: '2026-11-10T09:30:00Z',
      actor: 'dwilliams-ex',
      subject: 'jsmith',
      pr: 15,
      commit: revokeHead,
      details: { level: 'manager', reviewer: 'dwilliams-ex', reviewedAt: '2026-11-10T09:30:00Z', tier: 'standard' },
    }),
    auditEvent('apply.failed', {
      time: '2026-11-10T11:00:00Z',
      actor: 'aac-reconciler',
      commit: revokeMerge,
      details: { error: { code: 'DirectoryError', message: 'connection refused' } },
    }),
    auditEvent('apply.completed', {
      time: '2026-11-11T12:00:00Z',
      actor: 'aac-reconciler',
      commit: revokeMerge,
      details: {
        actions: [{ type: 'update-members', subject: 'crm-sales-reps', result: 'done' }],
        counts: { done: 1, failed: 0, actions: 1 },
      },
    }),
    auditEvent('account.locked', {
      time: '2026-11-12T03:00:00Z',
      actor: 'aac-reconciler',
      subject: 'jsmith',
      details: { uid: 'jsmith', reason: 'temporary-password-unchanged' },
    }),
  ]);
  return {
    repo,
    seed,
    grantMerge,
    grantHead,
    revokeMerge,
    unsignedCommit,
    env: { GNUPGHOME: repo.gnupgHome!, AAC_NOW: '2026-11-22T12:00:00Z' },
  };
}
