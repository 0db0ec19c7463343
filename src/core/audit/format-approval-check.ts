import type { ApprovalCheck } from './approval-records.js';
import { describeHeld } from './compute-approval-holds.js';

/**
 * The approval check for a terminal, after the plan: what is held and why; '' when nothing is to
 * say. See isApprovalNote for what goes to stderr instead.
 */
export function formatApprovalCheckText(check: ApprovalCheck): string {
  switch (check.mode) {
    case 'off':
      return '';
    case 'unavailable':
      return `Approval holds: not checked (${check.reason}); reconcile.requireApproval cannot hold anything here.\n`;
    case 'baseline':
      return check.why === 'first-apply'
        ? `Approval holds: first apply of this repository: commit ${short(check.commit)} is adopted as the approved baseline; later grants need an approved pull request.\n`
        : `Approval holds: the current state (${short(check.commit)}) is adopted as the baseline by override of ${check.override?.by ?? 'unknown'}: ${check.override?.reason ?? ''}\n`;
    case 'checked': {
      if (check.held.length + check.released.length + check.approved.length === 0) return '';
      const lines: string[] = [];
      for (const h of check.held)
        lines.push(
          `= held ${describeHeld(h)}: introduced by ${short(h.introducedBy)}, no approved pull request on the audit log merged it`,
        );
      for (const h of check.released)
        lines.push(
          `! released ${describeHeld(h)} (introduced by ${short(h.introducedBy)}) by override of ${check.override?.by}: ${check.override?.reason}`,
        );
      lines.push(
        `Approval holds since ${short(check.since)}: ${check.approved.length} approved, ${check.held.length} held${check.released.length > 0 ? `, ${check.released.length} released by override` : ''}.`,
      );
      return `${lines.join('\n')}\n`;
    }
  }
}

/** The same as Markdown for the job summary and the pull-request comment: a table of holds. */
export function formatApprovalCheckMarkdown(check: ApprovalCheck): string {
  if (check.mode !== 'checked') {
    const text = formatApprovalCheckText(check);
    return text === '' ? '' : `\n${text}`;
  }
  if (check.held.length === 0 && check.released.length === 0)
    return `\nApproval holds since \`${short(check.since)}\`: ${check.approved.length} approved, nothing held.\n`;
  const rows = [
    ...check.held.map((h) => `| held | ${cell(describeHeld(h))} | \`${short(h.introducedBy)}\` |`),
    ...check.released.map(
      (h) =>
        `| released by ${cell(check.override?.by ?? '')} | ${cell(describeHeld(h))} | \`${short(h.introducedBy)}\` |`,
    ),
  ];
  return `\n### Held for want of an approval\n\nNot provisioned: these reached the branch without an approved pull request on the audit log (\`reconcile.requireApproval\`).\n\n| | change | introduced by |\n|---|---|---|\n${rows.join('\n')}\n`;
}

function short(sha: string): string {
  return sha.slice(0, 12);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Whether the text is a note about the check (stderr) rather than part of the plan (stdout). */
export function isApprovalNote(check: ApprovalCheck): boolean {
  return check.mode !== 'checked';
}
