import type { AuditRecord } from './audit-event.js';
import type { RecordPlace, UnreadableLine } from './audit-files.js';
import { verifyChain } from './hash-chain.js';
import type { ChainProblemKind, HashText } from './hash-chain.js';
import type { HistoryCommit } from './parse-git-log.js';
import type { AuditCopyProblem, AuditHistoryProblem } from './verify-audit-history.js';

/** GitHub's committer on merges and web edits; its commits are signed with GitHub's own key. */
export const GITHUB_COMMITTER = { name: 'GitHub', email: 'noreply@github.com' } as const;

export type SignatureProblemKind =
  'unsigned' | 'untrusted-key' | 'bad-signature' | 'expired' | 'revoked' | 'cannot-check';

/** How a commit's signature was accepted: a key the verifier trusts, or GitHub's key on a commit GitHub made. */
export type SignatureAcceptance = 'trusted-key' | 'github';

export interface SignatureProblem {
  kind: SignatureProblemKind;
  commit: string;
  subject: string;
  author: string;
  message: string;
}

export interface AuditLogProblem {
  kind: ChainProblemKind | 'unreadable-line';
  /** Where the record (or line) is on the audit branch, e.g. `audit/2026-11.jsonl` and 1-based line. */
  file: string;
  line: number;
  seq: number | undefined;
  message: string;
}

/** The audit branch itself: where it was read, its commits' signatures, its history, other copies. */
export interface AuditBranchVerdict {
  /** How the log was found: `access-audit (local)`, `origin/access-audit (remote-tracking)`; undefined: no log at all. */
  source: string | undefined;
  commits: number;
  accepted: Record<SignatureAcceptance, number>;
  signatures: SignatureProblem[];
  /** Commits that changed or removed lines instead of appending. */
  history: AuditHistoryProblem[];
  /** Another copy (the remote-tracking branch) that lacks records or differs. */
  copies: AuditCopyProblem[];
}

export interface AuditTrailVerdict {
  ok: boolean;
  commits: number;
  records: number;
  /** Commits accepted, by how. */
  accepted: Record<SignatureAcceptance, number>;
  signatures: SignatureProblem[];
  log: AuditLogProblem[];
  /** Present when the audit branch's own history was checked (`aac audit verify`). */
  auditBranch?: AuditBranchVerdict;
}

/** What is known of the audit branch itself, for verifyAuditTrail. */
export interface AuditBranchFacts {
  source: string | undefined;
  commits: readonly HistoryCommit[];
  history: readonly AuditHistoryProblem[];
  copies: readonly AuditCopyProblem[];
}

/** Whether GitHub made this commit (merge button, web edit): committer `GitHub <noreply@github.com>`. */
export function isGitHubCommit(commit: HistoryCommit): boolean {
  return commit.committer.name === GITHUB_COMMITTER.name && commit.committer.email === GITHUB_COMMITTER.email;
}

/**
 * Judges one commit's signature from git's own `%G?`: only `G` (good, and the key trusted by
 * the allowed-signers file or the keyring) is accepted. A GitHub commit needs GitHub's key in
 * the keyring, so it reads `G` too; the distinction is reported, not trusted on its own.
 */
export function judgeSignature(
  commit: HistoryCommit,
): { accepted: SignatureAcceptance } | { problem: SignatureProblemKind; message: string } {
  const github = isGitHubCommit(commit);
  switch (commit.signature.status) {
    case 'G':
      return { accepted: github ? 'github' : 'trusted-key' };
    case 'N':
      return { problem: 'unsigned', message: 'not signed' };
    case 'U':
      return {
        problem: 'untrusted-key',
        message: `signed by a key that is not trusted (${commit.signature.key || 'unknown key'})`,
      };
    case 'B':
      return { problem: 'bad-signature', message: 'the signature does not match the commit (altered after signing?)' };
    case 'X':
    case 'Y':
      return { problem: 'expired', message: 'signed with an expired signature or key' };
    case 'R':
      return { problem: 'revoked', message: 'signed with a revoked key' };
    case 'E':
      return {
        problem: 'cannot-check',
        message: github
          ? "signed by GitHub, but GitHub's key (web-flow) is not in the keyring"
          : `the signature cannot be checked: key ${commit.signature.key || 'unknown'} is missing`,
      };
  }
}

/**
 * Verifies the audit trail: every commit is signed by a trusted key (or by GitHub on commits
 * GitHub made) and the audit log's hash chain is intact; each problem names its commit, or the
 * month file and line of its record.
 */
export function verifyAuditTrail(input: {
  commits: readonly HistoryCommit[];
  records: readonly AuditRecord[];
  /** Where each record was read (as parseAuditFiles gives them), so each problem names its file and line. */
  places: readonly RecordPlace[];
  unreadable: readonly UnreadableLine[];
  /** SHA-256 to check records with (node:crypto's, from the shell). */
  hash: HashText;
  /** The audit branch's own commits, history and copies; without it only the chain is judged. */
  auditBranch?: AuditBranchFacts;
}): AuditTrailVerdict {
  const { accepted, signatures } = judgeSignatures(input.commits);
  const log: AuditLogProblem[] = [
    ...input.unreadable.map((u) => ({
      kind: 'unreadable-line' as const,
      file: u.file,
      line: u.line,
      seq: undefined,
      message: u.message,
    })),
    ...verifyChain(input.records, { hash: input.hash }).map((p) => {
      const place = input.places[p.index - 1]!;
      return { kind: p.kind, file: place.file, line: place.line, seq: p.seq, message: p.message };
    }),
  ];
  const branch = input.auditBranch;
  const auditBranch: AuditBranchVerdict | undefined = branch && {
    source: branch.source,
    commits: branch.commits.length,
    ...judgeSignatures(branch.commits),
    history: [...branch.history],
    copies: [...branch.copies],
  };
  const branchOk =
    !auditBranch ||
    (auditBranch.source !== undefined &&
      auditBranch.signatures.length === 0 &&
      auditBranch.history.length === 0 &&
      auditBranch.copies.length === 0);
  return {
    ok: signatures.length === 0 && log.length === 0 && branchOk,
    commits: input.commits.length,
    records: input.records.length,
    accepted,
    signatures,
    log,
    ...(auditBranch ? { auditBranch } : {}),
  };
}

function judgeSignatures(commits: readonly HistoryCommit[]): {
  accepted: Record<SignatureAcceptance, number>;
  signatures: SignatureProblem[];
} {
  const accepted: Record<SignatureAcceptance, number> = { 'trusted-key': 0, github: 0 };
  const signatures: SignatureProblem[] = [];
  for (const commit of commits) {
    const verdict = judgeSignature(commit);
    if ('accepted' in verdict) accepted[verdict.accepted] += 1;
    else
      signatures.push({
        kind: verdict.problem,
        commit: commit.sha,
        subject: commit.subject,
        author: `${commit.author.name} <${commit.author.email}>`,
        message: verdict.message,
      });
  }
  return { accepted, signatures };
}

/** The verdict as text: one line per problem, then a summary line. */
export function formatAuditTrailVerdict(verdict: AuditTrailVerdict): string {
  const lines: string[] = [];
  for (const p of verdict.signatures)
    lines.push(`commit ${p.commit.slice(0, 12)} ${p.kind}: ${p.message} — "${p.subject}" by ${p.author}`);
  for (const p of verdict.log) lines.push(`${p.file}:${p.line}: audit ${p.kind}: ${p.message}`);
  const branch = verdict.auditBranch;
  if (branch) {
    if (branch.source === undefined) lines.push('audit branch missing: there is no audit log to verify');
    for (const p of branch.signatures)
      lines.push(`audit commit ${p.commit.slice(0, 12)} ${p.kind}: ${p.message} — "${p.subject}" by ${p.author}`);
    for (const p of branch.history)
      lines.push(`audit commit ${p.commit.slice(0, 12)} ${p.kind}: ${p.message}${p.file ? ` (${p.file})` : ''}`);
    for (const p of branch.copies) lines.push(`audit copy ${p.copy} ${p.kind}: ${p.message}`);
  }
  const signed = `${verdict.commits - verdict.signatures.length} of ${verdict.commits} commits signed and verified (${verdict.accepted['trusted-key']} by trusted keys, ${verdict.accepted.github} by GitHub)`;
  const problems = verdict.log.length + (branch ? branch.history.length + branch.copies.length : 0);
  const chain =
    problems === 0
      ? `audit log intact (${verdict.records} records${branch?.source ? ` on ${branch.source}` : ''})`
      : `audit log: ${problems} problems in ${verdict.records} records${branch?.source ? ` on ${branch.source}` : ''}`;
  const auditSigned = branch
    ? `; ${branch.commits - branch.signatures.length} of ${branch.commits} audit commits signed and verified`
    : '';
  lines.push(`${verdict.ok ? 'ok' : 'FAILED'}: ${signed}; ${chain}${auditSigned}`);
  return `${lines.join('\n')}\n`;
}
