import type { Evaluation } from '../policy/evaluate-pull-request.js';
import type { RequestProblem } from './access-request.js';

/** Labels of the request form's fields, for messages that say which answer to fix. */
export const FIELD_LABELS: Readonly<Record<RequestProblem['field'], string>> = {
  uid: 'Who needs access (uid)',
  name: 'Full name (new people only)',
  email: 'Email (new people only)',
  type: 'Type (new people only)',
  manager: "Manager's uid (new people only)",
  department: 'Department',
  access: 'Systems and access level',
  justification: 'Justification',
  urgency: 'Urgency',
  start: 'Start date',
  end: 'End date',
};

const RANK: Readonly<Record<string, number>> = { revocation: 0, emergency: 1, standard: 2, elevated: 3, privileged: 4 };

/** The highest tier among the request's changes: `emergency` for an emergency grant, not the evaluation's `standard` floor. */
export function requestTier(evaluation: Evaluation): string {
  const tiers = evaluation.changes.map((c) => c.tier as string);
  return tiers.reduce((a, b) => ((RANK[b] ?? 0) > (RANK[a] ?? 0) ? b : a), tiers[0] ?? evaluation.tier);
}

/** One change of a request with who must approve it: the shape both previews print. */
interface ApprovalLine {
  what: string;
  tier: string;
  levels: Array<{ level: string; description?: string; candidates: string[]; teams: string[] }>;
}

function approvalLines(evaluation: Evaluation): ApprovalLine[] {
  return evaluation.changes.map((c) => ({
    what:
      'grant' in c && c.grant !== undefined
        ? `${c.kind} ${c.grant.system}/${c.grant.role} for ${c.subject}`
        : `${c.kind} ${c.subject}`,
    tier: c.tier,
    levels: c.levels.map((l) => ({
      level: l.level,
      ...(l.description !== undefined ? { description: l.description } : {}),
      candidates: l.candidates,
      teams: l.teams,
    })),
  }));
}

/**
 * The tier and who must approve, for a terminal: shown by `aac request` before it writes anything.
 * @example formatRequestPreviewText(evaluation) // "Tier: standard\n  grant-added crm/sales-rep for jsmith (standard)\n    manager: mjohnson-ex\n"
 */
export function formatRequestPreviewText(evaluation: Evaluation): string {
  const lines = [`Tier: ${requestTier(evaluation)}`];
  for (const change of approvalLines(evaluation)) {
    lines.push(`  ${change.what} (${change.tier})`);
    for (const l of change.levels)
      lines.push(`    ${l.level}${l.description ? ` (${l.description})` : ''}: ${who(l, (x) => x)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The same for the request issue's comment, with @-mentions. */
export function formatRequestPreviewMarkdown(evaluation: Evaluation): string {
  const lines = [`**Tier: ${requestTier(evaluation)}**`, ''];
  for (const change of approvalLines(evaluation)) {
    lines.push(`- \`${change.what}\`: ${change.tier}`);
    for (const l of change.levels)
      lines.push(`  - ${l.level}${l.description ? ` (${l.description})` : ''}: ${who(l, (x) => `@${x}`)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Who may approve a level: the people, else the teams (whose members the caller could not list), else nobody. */
function who(level: { candidates: string[]; teams: string[] }, mention: (login: string) => string): string {
  if (level.candidates.length > 0) return `one of ${level.candidates.map(mention).join(', ')}`;
  if (level.teams.length > 0) return `a member of ${level.teams.map(mention).join(' or ')}`;
  return 'nobody can approve this yet';
}

/** What to fix, one line per problem, naming the form field. */
export function formatRequestProblemsMarkdown(problems: readonly RequestProblem[]): string {
  return `${problems.map((p) => `- **${FIELD_LABELS[p.field]}**: ${escapeMarkdown(p.message)}`).join('\n')}\n`;
}

/** Problems for a terminal. */
export function formatRequestProblemsText(problems: readonly RequestProblem[]): string {
  return `${problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}\n`;
}

/** Keeps text from the files or the issue from turning into markup or mentions in a comment. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#@]/g, (c) => `\\${c}`);
}
