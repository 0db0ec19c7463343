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
  /**
   * `gaps`: something found needs attention (listed); `not evidenced`: the data cannot show the
   * requirement is met (no such record yet, or no mechanism in aac), `reason` says why;
   * `evidenced`: the facts show it, and a gap would have been found.
   */
  status: 'evidenced' | 'gaps' | 'not evidenced';
  /** Why the control is not evidenced, when it is not. */
  reason?: string;
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
  /** The newest inactivity check (aac lifecycle), when one is on record; see 3.5.6. */
  dormancy?: { time: string };
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
/** A control's verdict: gaps first; else, with `missing` (why the data cannot show it), not evidenced. */
const control = (
  id: ControlId,
  evidence: string[],
  gaps: string[],
  tables: ReportTable[] = [],
  missing?: string,
): EvidenceControl => ({
  control: id,
  title: TITLES[id],
  status: gaps.length > 0 ? 'gaps' : missing !== undefined ? 'not evidenced' : 'evidenced',
  ...(gaps.length === 0 && missing !== undefined ? { reason: missing } : {}),
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
  const lockReason = (reason: LockReason) => locked.filter((r) => r.details.reason === reason);
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
  const unapproved = viaPr.filter((t) => !t.approvalChain.some((s) => s.decision === 'approved'));
  const held = recordsOf(records, 'apply.held');
  const notices = recordsOf(records, 'notice.sent');
  const handedOver = new Set(
    notices
      .filter((n) => n.details.notice === 'temporary-password' && n.details.to.length > 0)
      .map((n) => n.details.uid),
  );
  const passwordsToNobody = notices.filter(
    (n) => n.details.notice === 'temporary-password' && n.details.to.length === 0 && !handedOver.has(n.details.uid),
  );
  const lockedFor = new Set(lockReason('disabled').map((r) => r.details.uid));
  const lastApplyTime = lastApply?.time;
  const disabledUnlocked = [...tree.people.values()]
    .map((p) => p.value)
    .filter((p) => p.status === 'disabled' && !lockedFor.has(p.uid) && lastApplyTime !== undefined);
  const branchProblems = verdict.auditBranch
    ? [
        ...(verdict.auditBranch.source === undefined ? ['there is no audit branch'] : []),
        ...verdict.auditBranch.history.map((p) => `audit commit ${p.commit.slice(0, 12)}: ${p.kind}: ${p.message}`),
        ...verdict.auditBranch.signatures.map(
          (p) => `audit commit ${p.commit.slice(0, 12)} (${p.subject}): ${p.kind}: ${p.message}`,
        ),
        ...verdict.auditBranch.copies.map((p) => `${p.copy}: ${p.kind}: ${p.message}`),
      ]
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
        ...unapproved.map(
          (t) => `request #${t.requestId} merged with no approval on the audit log (${t.merge?.subject ?? ''})`,
        ),
        ...held.map(
          (h) =>
            `${h.time}: held for want of an approval: ${h.details.description} (introduced by ${h.details.introducedBy.slice(0, 12)})`,
        ),
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
      lastApply
        ? undefined
        : 'no reconcile run is on the audit log: nothing shows the directory holds only this access',
    ),
    control(
      '3.1.4',
      [
        `Separation-of-duties rules in the policy: ${policy?.separationOfDuties.map((r) => `${r.id} (${r.roles.join(' x ')})`).join('; ') || 'none'}; checked on every pull request and by \`aac validate\`.`,
        `${blocked.length} escalation attempts blocked by the approval app; ${count(records, 'request.rejected')} requests rejected.`,
        'Approvals by the author or by the person whose access changes never count (approval app); each person satisfies at most one level.',
      ],
      [
        ...diag(diagnostics, 'SOD_CONFLICT'),
        ...selfApproved,
        ...unapproved.map((t) => `request #${t.requestId} merged with no approval on the audit log`),
      ],
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
      (policy?.separationOfDuties.length ?? 0) === 0
        ? 'the policy declares no separation-of-duties rules'
        : count(records, 'level.approved') === 0
          ? 'no approval is on the audit log: nothing shows a second person reviewed any change'
          : undefined,
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
      [...(records.length === 0 ? [`no audit records on ${input.auditBranch}`] : []), ...chainGaps],
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
        verdict.auditBranch
          ? `The audit branch (${verdict.auditBranch.source ?? 'absent'}) has ${verdict.auditBranch.commits} commits; each may only append lines and must be signed: ${verdict.auditBranch.history.length} history problems, ${verdict.auditBranch.signatures.length} signature problems, ${verdict.auditBranch.copies.length} copy problems.`
          : 'Checked with `aac audit verify`, which also fails on any unsigned or unverified commit.',
      ],
      [...chainGaps, ...signatureGaps, ...branchProblems],
      [],
      verdict.auditBranch
        ? undefined
        : "the audit branch's own history and signatures were not checked (run `aac audit verify`)",
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
      disabledUnlocked.map((p) => `${p.uid} is disabled in the files, but no lock of the account is on the audit log`),
      [
        {
          title: 'Locked accounts',
          columns: ['time', 'uid', 'reason'],
          rows: locked.map((r) => [r.time, r.details.uid, r.details.reason]),
        },
      ],
      input.dormancy === undefined
        ? 'no inactivity check has run: nothing on the audit log shows idle accounts were found and disabled (aac lifecycle reads last logins)'
        : undefined,
    ),
    control(
      '3.5.9',
      [
        `${creates} accounts created with a random temporary password that must be changed at first logon (ppolicy pwdReset / AD pwdLastSet=0); the password goes only to the notifier, never to logs, git or the audit log.`,
        `${lockReason('temporary-password-unchanged').length} accounts locked because the temporary password was not changed in time.`,
        `${handedOver.size} temporary passwords handed over to a manager, sponsor or the service desk (notice.sent).`,
      ],
      passwordsToNobody.map(
        (n) =>
          `${n.time}: the temporary password of ${n.details.uid} went to nobody (${n.details.undeliverable ?? 'no address'})`,
      ),
      [],
      creates === 0 ? 'no account was created by aac yet, so no temporary password is on record' : undefined,
    ),
  ];
}

function attestationsOf(attestations: readonly string[] | undefined): string {
  return attestations ? ` and attestations ${attestations.join(', ')}` : '';
}
