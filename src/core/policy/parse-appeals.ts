import type { Appeal } from './compute-approvals.js';

/** The command a pull request's author writes to appeal a rejection: `/appeal <more justification>`. */
export const APPEAL_COMMAND = '/appeal';

/**
 * The `/appeal <text>` comments among a pull request's comments (the command first on the first
 * line; the text may go on over several lines). Who may appeal is decided by the evaluation (the
 * pull request's author only); an appeal without text is no appeal.
 * @example parseAppeals([{ body: '/appeal I cover the West too', user: { login: 'JSmith' }, created_at: 't' }]) // [{ by: 'jsmith', text: 'I cover the West too', at: 't' }]
 */
export function parseAppeals(
  comments: ReadonlyArray<{ body: string; user: { login: string } | null; created_at: string }>,
): Appeal[] {
  const appeals: Appeal[] = [];
  for (const c of comments) {
    const body = c.body.trim();
    if (!c.user || !body.startsWith(APPEAL_COMMAND)) continue;
    const rest = body.slice(APPEAL_COMMAND.length);
    if (rest !== '' && !/^\s/.test(rest)) continue; // "/appealing" is not the command
    const text = rest.trim();
    if (text === '') continue;
    appeals.push({ by: c.user.login.toLowerCase(), text, at: c.created_at });
  }
  return appeals;
}
