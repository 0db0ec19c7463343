import type { Diagnostic } from '../diagnostics.js';
import type { AccessTree } from '../model/access-tree.js';
import { recordsOf } from './audit-event.js';
import type { AuditRecord } from './audit-event.js';
import type { LockReason } from '../plan/action.js';
import type { AccessOverview } from './compute-access-overview.js';
import type { ReportTable } from './compute-report-view.js';
import type { RequestTimeline } from './compute-request-timelines.js';
import type { AuditTrailVerdict } from './verify-audit-trail.js';

export type ControlId =
  '3.1.1' | '3.1.4' | '3.1.5' | '3.1.7' | '3.3.1' | '3.3.2' | '3.3.8' | '3.5.5' | '3.5.6' | '3.5.9';

/** What this repository shows for one NIST SP 800-171 rev. 2 requirement. */
export interface EvidenceControl {
  control: ControlId;
  title: string;
  /** `evidenced`: the facts support the requirement; `gaps`: something found needs attention (listed). */
  status: 'evidenced' | 'gaps';
  evidence: string[];
  gaps: string[];
  tables: ReportTable[];
}

export interface EvidenceInput {
  tree: AccessTree;
  /** Diagnostics of the access tree on the branch, checked with the retired identifiers. */
  diagnostics: readonly Diagnostic[];
  /** Retired identifiers known (history and tombstones). */
  retiredCount: number;
  verdict: AuditTrailVerdict;
  timelines: readonly RequestTimeline[];
  records: readonly AuditRecord[];
  overview: AccessOverview;
  branch: string;
  auditBranch: string;
  accessRoot: string;
}

const TITLES: Record<ControlId, string> = {
  '3.1.1': 'Limit system access to authorized users, processes acting on behalf of authorized users, and devices',
  '3.1.4': 'Separate the duties of individuals to reduce the risk of malevolent activity without collusion',
  '3.1.5': 'Employ the principle of least privilege, including for specific security functions and privileged accounts',
  '3.1.7':
    'Prevent non-privileged users from executing privileged functions and capture the execution of such functions in audit logs',
  '3.3.1':
    'Create and retain system audit logs and records to enable monitoring, analysis, investigation and reporting',
  '3.3.2': 'Ensure that the actions of individual system users can be uniquely traced to those users',
  '3.3.8': 'Protect audit information and audit logging tools from unauthorized access, modification, and deletion',
  '3.5.5': 'Prevent reuse of identifiers for a defined period',
  '3.5.6': 'Disable identifiers after a defined period of inactivity',
  '3.5.9': 'Allow temporary passwords for system logons with an immediate change to a permanent password',
};

const count = (records: readonly AuditRecord[], type: string): number => records.filter((r) => r.type === type).length;
const diag = (ds: readonly Diagnostic[], ...codes: string[]): string[] =>
  ds.filter((d) => codes.includes(d.code)).map((d) => `${d.file}:${d.line}:${d.column}: ${d.code}: ${d.message}`);
const control = (id: ControlId, evidence: string[], gaps: string[], tables: ReportTable[] = []): EvidenceControl => ({
  control: id,
  title: TITLES[id],
  status: gaps.length === 0 ? 'evidenced' : 'gaps',
  evidence,
  gaps,
  tables,
});

/** The evidence for each of the ten controls, from the repository's real data. Pure. */
export function computeEvidence(input: EvidenceInput): EvidenceControl[] {
  const { tree, diagnostics, verdict, timelines, records, overview } = input;
  const policy = tree.policy?.value;
  const merged = timelines.filter((t) => t.merge !== null && t.files.length > 0);
  const viaPr = merged.filter((t) => t.requestId !== null);
  const approved = viaPr.filter((t) => t.approvalChain.some((s) => s.decision === 'approved'));
  const direct = merged.filter((t) => t.requestId === null);
  const grants = overview.matrix.rows.reduce((n, r) => n + Object.values(r.cells).flat().length, 0);
  const lastApply = [...records].reverse().find((r) => r.type === 'apply.completed');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const selfApproved = timelines.flatMap((t) =>
    t.approvalChain
      .filter((s) => s.decision === 'approved' && s.approver === t.requester)
      .map((s) => `request #${t.requestId}: ${s.approver} approved their own request at level ${s.level}`),
  );
  const blocked = recordsOf(records, 'escalation.blocked');
  const locked = recordsOf(records, 'account.locked');
  const lockReason = (reason: LockReason): AuditRecord[] => locked.filter((r) => r.details.reason === reason);
  const months = new Set(records.map((r) => r.time.slice(0, 7)));
  const actorless = records.filter((r) => !r.actor || r.actor.trim() === '');
  const creates = recordsOf(records, 'apply.completed')
    .flatMap((r) => r.details.actions)
    .filter((a) => a.type === 'create-account' && a.result === 'done').length;
  const privilegedTiers = policy
    ? (['elevated', 'privileged'] as const).map(
        (t) =>
          `tier ${t} needs levels ${policy.tiers[t]?.levels.join(', ') ?? 'none'}${attestationsOf(policy.tiers[t]?.attestations)}`,
      )
    : [];
  const signatureGaps = verdict.signatures.map(
    (p) => `commit ${p.commit.slice(0, 12)} (${p.subject}): ${p.kind}: ${p.message}`,
  );
  const chainGaps = verdict.log.map((p) => `${p.file}:${p.line}: ${p.kind}: ${p.message}`);

  return [
    control(
      '3.1.1',
      [
        `${overview.matrix.rows.length} active people hold ${grants} grants across ${overview.matrix.systems.length} systems, declared in ${input.accessRoot}/ on ${input.branch} (matrix below); nobody else is provisioned: the reconciler removes undeclared group members as drift (${count(records, 'drift.reverted')} reverted).`,
        `${viaPr.length} changes to ${input.accessRoot}/ landed through pull requests, ${approved.length} of them with approvals recorded in the audit log.`,
        lastApply
          ? `Last reconcile: ${lastApply.time} at commit ${(lastApply.commit ?? '').slice(0, 12)}.`
          : 'No reconcile run is recorded in the audit log yet.',
      ],
      [
        ...direct.flatMap((t) =>
          t.merge
            ? [
                `direct commit ${t.merge.commit.slice(0, 12)} changed ${input.accessRoot}/ without a pull request: ${t.merge.subject}`,
              ]
            : [],
        ),
        ...errors.map((d) => `${d.file}:${d.line}: ${d.code}: ${d.message}`),
      ],
      [
        {
          title: 'Access matrix',
          columns: ['person', ...overview.matrix.systems],
          rows: overview.matrix.rows.map((r) => [
            r.uid,
            ...overview.matrix.systems.map((s) => (r.cells[s] ?? []).join(' ')),
          ]),
        },
      ],
    ),
    control(
      '3.1.4',
      [
        `Separation-of-duties rules in the policy: ${policy?.separationOfDuties.map((r) => `${r.id} (${r.roles.join(' x ')})`).join('; ') || 'none'}; checked on every pull request and by \`aac validate\`.`,
        `${blocked.length} escalation attempts blocked by the approval app; ${count(records, 'request.rejected')} requests rejected.`,
        'Approvals by the author or by the person whose access changes never count (approval app); each person satisfies at most one level.',
      ],
      [...diag(diagnostics, 'SOD_CONFLICT'), ...selfApproved],
      [
        {
          title: 'Blocked escalations',
          columns: ['time', 'request', 'subject', 'reasons'],
          rows: blocked.map((r) => [
            r.time,
            r.pr === undefined ? '' : `#${r.pr}`,
            r.subject ?? '',
            r.details.reasons.join('; '),
          ]),
        },
      ],
    ),
    control(
      '3.1.5',
      [
        `${overview.privileged.length} privileged grants (list below); privileged roles need the privileged tier.`,
        ...privilegedTiers,
      ],
      diag(diagnostics, 'MISSING_ATTESTATION', 'PRIVILEGE_ESCALATION', 'EMERGENCY_TOO_LONG', 'EMERGENCY_NO_EXPIRY'),
      [
        {
          title: 'Privileged access',
          columns: ['person', 'system', 'role', 'group', 'tier', 'expires', 'emergency'],
          rows: overview.privileged.map((p) => [
            p.uid,
            p.system,
            p.role,
            p.group,
            p.tier,
            p.expires ?? '',
            p.emergency ? 'yes' : 'no',
          ]),
        },
      ],
    ),
    control(
      '3.1.7',
      [
        `Only the ${new Set(overview.privileged.map((p) => p.uid)).size} people listed under 3.1.5 hold privileged roles; external people may not hold them (${diag(diagnostics, 'PRIVILEGE_ESCALATION').length} violations in the files).`,
        `${blocked.length} attempts to gain privileged or non-external roles were blocked and logged; ${count(records, 'apply.completed')} directory changes runs and ${count(records, 'apply.failed')} failed runs are in the audit log with every action.`,
      ],
      diag(diagnostics, 'PRIVILEGE_ESCALATION'),
    ),
    control(
      '3.3.1',
      [
        `The audit log on ${input.auditBranch} holds ${records.length} records${records.length > 0 ? ` from ${records[0]!.time} to ${records[records.length - 1]!.time}` : ''} in ${months.size} month files, append-only and hash-chained.`,
        `Records by type: ${
          Object.entries(
            records.reduce<Record<string, number>>((m, r) => ({ ...m, [r.type]: (m[r.type] ?? 0) + 1 }), {}),
          )
            .map(([t, n]) => `${t} ${n}`)
            .join(', ') || 'none'
        }.`,
        `Git history of ${input.branch}: ${verdict.commits} commits, the record of desired state.`,
      ],
      records.length === 0 ? [`no audit records on ${input.auditBranch}`] : [],
    ),
    control(
      '3.3.2',
      [
        `${verdict.commits - verdict.signatures.length} of ${verdict.commits} commits are signed and verified (${verdict.accepted['trusted-key']} by trusted keys, ${verdict.accepted.github} by GitHub), so each change is bound to its author's key.`,
        `Every audit record names its actor; approvals name the reviewer and level (${count(records, 'level.approved')} level approvals).`,
      ],
      [...signatureGaps, ...actorless.map((r) => `audit record ${r.seq} has no actor`)],
    ),
    control(
      '3.3.8',
      [
        `Hash chain of ${verdict.records} audit records: ${verdict.log.length === 0 ? 'intact (every record carries the SHA-256 of the previous one; edits, removals, insertions and reorderings are detected)' : `${verdict.log.length} problems`}.`,
        'Checked with `aac audit verify`, which also fails on any unsigned or unverified commit.',
      ],
      [...chainGaps, ...signatureGaps],
    ),
    control(
      '3.5.5',
      [
        `${input.retiredCount} retired identifiers are known (person files deleted, renamed or set to deleted in git history, and tombstones in the policy); none may be given to anyone else.`,
      ],
      diag(diagnostics, 'UID_REUSED', 'EMAIL_REUSED', 'DUPLICATE_ID', 'DUPLICATE_EMAIL'),
    ),
    control(
      '3.5.6',
      [
        `${locked.length} accounts locked by the reconciler: ${
          Object.entries(
            locked.reduce<Record<string, number>>((m, r) => {
              const k = r.details.reason;
              return { ...m, [k]: (m[k] ?? 0) + 1 };
            }, {}),
          )
            .map(([k, n]) => `${k} ${n}`)
            .join(', ') || 'none yet'
        }.`,
        `${[...tree.people.values()].filter((p) => p.value.status !== 'active').length} people are disabled or deleted in the files; their accounts are locked and removed from groups.`,
      ],
      [],
      [
        {
          title: 'Locked accounts',
          columns: ['time', 'uid', 'reason'],
          rows: locked.map((r) => [r.time, r.details.uid, r.details.reason]),
        },
      ],
    ),
    control(
      '3.5.9',
      [
        `${creates} accounts created with a random temporary password that must be changed at first logon (ppolicy pwdReset / AD pwdLastSet=0); the password goes only to the notifier, never to logs, git or the audit log.`,
        `${lockReason('temporary-password-unchanged').length} accounts locked because the temporary password was not changed in time.`,
      ],
      [],
    ),
  ];
}

/** One control as a Markdown evidence file. */
export function formatEvidenceMarkdown(
  c: EvidenceControl,
  meta: { generatedAt: string; branch: string; auditBranch: string },
): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const out = [
    `# NIST SP 800-171 rev. 2, ${c.control}: ${c.title}`,
    '',
    `Status: **${c.status}**. Generated ${meta.generatedAt} from ${meta.branch} and the audit log on ${meta.auditBranch}.`,
    '',
    '## Evidence',
    '',
    ...c.evidence.map((e) => `- ${e}`),
    '',
  ];
  if (c.gaps.length > 0) out.push('## Gaps', '', ...c.gaps.map((g) => `- ${g}`), '');
  for (const t of c.tables) {
    out.push(`## ${t.title}`, '');
    if (t.rows.length === 0) out.push('_none_', '');
    else
      out.push(
        `| ${t.columns.map(cell).join(' | ')} |`,
        `|${t.columns.map(() => ' --- ').join('|')}|`,
        ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
        '',
      );
  }
  return out.join('\n');
}

function attestationsOf(attestations: readonly string[] | undefined): string {
  return attestations ? ` and attestations ${attestations.join(', ')}` : '';
}
