import { parseArgs } from 'node:util';
import { sha256Node } from '../../adapters/crypto/sha256-node.js';
import { readGitAuditFiles } from '../../adapters/git/git-audit-log.js';
import { hasAllowedSigners, readGitHistory } from '../../adapters/git/read-git-history.js';
import { parseAuditFiles } from '../../core/audit/audit-files.js';
import { formatAuditTrailVerdict, verifyAuditTrail } from '../../core/audit/verify-audit-trail.js';
import { UsageError } from '../../errors.js';
import { AUDIT_OPTIONS, AUDIT_OPTIONS_HELP, auditContext } from './audit-options.js';
import { EXIT } from './cli-io.js';
import type { CliIO } from './cli-io.js';
import { parseFormat } from './parse-format.js';

export const AUDIT_VERIFY_HELP = `Usage: aac audit verify [--since REF] [--format text|json] [options]

Checks that every commit on the branch (since REF, if given) is signed and verified by a
trusted key or is a commit GitHub made and signed, and that the audit log's hash chain is
intact (edited, removed, inserted or reordered records are named by file and line).

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
  const ctx = await auditContext(values, io);
  const range = values.since ? `${values.since}..${ctx.branch}` : ctx.branch;
  const [commits, files, sshTrust] = await Promise.all([
    readGitHistory({ ...ctx, range }),
    readGitAuditFiles(ctx.repoDir, ctx.auditBranch),
    hasAllowedSigners(ctx.repoDir, ctx),
  ]);
  const verdict = verifyAuditTrail({ commits, ...parseAuditFiles(files), hash: sha256Node });
  if (!sshTrust)
    io.stderr(
      'aac audit verify: no SSH allowed-signers file (--allowed-signers or gpg.ssh.allowedSignersFile): SSH-signed commits read as unsigned\n',
    );
  if (files.length === 0) io.stderr(`aac audit verify: no audit log on ${ctx.auditBranch}\n`);
  io.stdout(format === 'json' ? `${JSON.stringify(verdict, null, 2)}\n` : formatAuditTrailVerdict(verdict));
  return verdict.ok ? EXIT.ok : EXIT.failed;
}
