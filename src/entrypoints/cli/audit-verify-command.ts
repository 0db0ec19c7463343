import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sha256Node } from '../../adapters/crypto/sha256-node.js';
import { readGitAuditFiles } from '../../adapters/git/git-audit-log.js';
import { readAuditHistoryPatch } from '../../adapters/git/locate-audit-branch.js';
import { readAllowedSignersSetting, readGitHistory } from '../../adapters/git/read-git-history.js';
import { parseAuditFiles } from '../../core/audit/audit-files.js';
import { compareAuditCopies, verifyAuditHistory } from '../../core/audit/verify-audit-history.js';
import { formatAuditTrailVerdict, verifyAuditTrail } from '../../core/audit/verify-audit-trail.js';
import { ConfigError, UsageError } from '../../errors.js';
import { AUDIT_OPTIONS, AUDIT_OPTIONS_HELP, auditContext } from './audit-options.js';
import type { AuditContext } from './audit-options.js';
import { EXIT } from './cli-io.js';
import type { CliIO } from './cli-io.js';
import { parseFormat } from './parse-format.js';

export const AUDIT_VERIFY_HELP = `Usage: aac audit verify [--since REF] [--format text|json] [options]

Checks that every commit on the branch (since REF, if given) is signed and verified by a
trusted key or is a commit GitHub made and signed, and that the audit log's hash chain is
intact (edited, removed, inserted or reordered records are named by file and line). Then the
audit branch itself: every commit on it only appended lines (one that changed or removed a
line, even the newest, is named), every audit commit is signed by the same trust roots, and
origin/<audit branch> holds every record the local branch has (a rewind is reported).

  --since REF              only commits after REF (REF..branch)
  --format text|json       one line per problem and a summary (default), or the verdict as JSON
${AUDIT_OPTIONS_HELP}
Exit status: 0 all verified, 1 a problem was found, 2 usage or I/O error.
`;

export async function runAuditVerify(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...AUDIT_OPTIONS, since: { type: 'string' }, format: { type: 'string', default: 'text' } },
  });
  if (values.help) {
    io.stdout(AUDIT_VERIFY_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const format = parseFormat(values.format, ['text', 'json'] as const);
  const ctx = await auditContext(values, io, 'audit verify');
  const configured = ctx.allowedSignersFile === undefined ? await readAllowedSignersSetting(ctx.repoDir) : undefined;
  if (configured !== undefined && !existsSync(configured))
    throw new ConfigError(`gpg.ssh.allowedSignersFile ${configured}: no such file`);
  const range = values.since ? `${values.since}..${ctx.branch}` : ctx.branch;
  const [commits, files, auditBranch] = await Promise.all([
    readGitHistory({ ...ctx, range }),
    ctx.audit ? readGitAuditFiles(ctx.repoDir, ctx.auditBranch) : [],
    readAuditBranchFacts(ctx),
  ]);
  const verdict = verifyAuditTrail({ commits, ...parseAuditFiles(files), hash: sha256Node, auditBranch });
  if (ctx.allowedSignersFile === undefined && configured === undefined)
    io.stderr(
      'aac audit verify: no SSH allowed-signers file (--allowed-signers or gpg.ssh.allowedSignersFile): SSH-signed commits read as unsigned\n',
    );
  io.stdout(format === 'json' ? `${JSON.stringify(verdict, null, 2)}\n` : formatAuditTrailVerdict(verdict));
  return verdict.ok ? EXIT.ok : EXIT.failed;
}

/** The audit branch's commits (with signatures), its append-only history, and the remote copy compared. */
export async function readAuditBranchFacts(ctx: AuditContext) {
  const audit = ctx.audit;
  if (!audit) return { source: undefined, commits: [], history: [], copies: [] };
  const source =
    audit.source === 'remote' ? `origin/${audit.name} (remote-tracking)` : `${audit.name} (${audit.source})`;
  const [commits, patch, remoteFiles, localFiles] = await Promise.all([
    readGitHistory({ ...ctx, range: audit.rev }),
    readAuditHistoryPatch(ctx.repoDir, audit.rev),
    audit.remoteRev ? readGitAuditFiles(ctx.repoDir, audit.remoteRev) : [],
    audit.remoteRev ? readGitAuditFiles(ctx.repoDir, audit.rev) : [],
  ]);
  const copies = audit.remoteRev
    ? compareAuditCopies(
        parseAuditFiles(localFiles).records,
        parseAuditFiles(remoteFiles).records,
        `origin/${audit.name}`,
      )
    : [];
  return { source, commits, history: verifyAuditHistory(patch).problems, copies };
}
