/**
 * Text as inline Markdown that renders as written: one line, every character with a meaning in
 * Markdown or a table backslash-escaped, and `@` made unable to mention anyone. Not HTML
 * escaping: GitHub shows `&quot;` literally in code spans, and entities are not needed here.
 * @example escapeMarkdown('a|b *c* @team') // 'a\\|b \\*c\\* @\u200bteam'
 */
export function escapeMarkdown(value: unknown): string {
  return String(value ?? '')
    .replace(/\s+/g, ' ')
    .replace(/[\\`*_[\]<>|~#]/g, '\\$&')
    .replace(/@/g, '@\u200b');
}

/** A Markdown code span around `value`, whatever backticks it holds (and `|` escaped for tables). */
export function codeSpan(value: unknown): string {
  const text = String(value ?? '')
    .replace(/\s+/g, ' ')
    .replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
