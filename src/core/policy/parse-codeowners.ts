/**
 * GitHub's CODEOWNERS format: `pattern owner...` per line, `#` comments, the LAST matching
 * pattern wins (a matching line with no owners leaves the file unowned). Patterns follow
 * gitignore rules with GitHub's exceptions (docs.github.com, "About code owners"): no `!`
 * negation, no `[...]` ranges, and escaping a `#` with `\` does not work (a `#` always starts a
 * comment). `\ ` keeps a space in a pattern. A lone `*` as the last segment (`docs/*`) matches
 * files of that folder only; any other last segment also matches everything below it.
 * Lines GitHub would not use are skipped and reported, never guessed at.
 */

/** One rule of a CODEOWNERS file. */
export interface CodeownersRule {
  pattern: string;
  /** `@user`, `@org/team` or an e-mail address, as written. */
  owners: string[];
  /** 1-based line in the CODEOWNERS file. */
  line: number;
  matcher: RegExp;
}

/** A line that is not a usable rule (GitHub ignores such lines too, and says the file has errors). */
export interface CodeownersProblem {
  line: number;
  reason: 'negation' | 'character-range' | 'bad-owner' | 'escaped-hash' | 'bad-pattern';
}

export interface ParsedCodeowners {
  rules: CodeownersRule[];
  problems: CodeownersProblem[];
}

// Users (Enterprise Managed Users have `_shortcode`), org/team slugs, or e-mail addresses.
const OWNER = /^(@[A-Za-z0-9](?:[A-Za-z0-9_-]*)(\/[A-Za-z0-9][A-Za-z0-9._-]*)?|[^@\s]+@[^@\s]+\.[^@\s]+)$/;

/**
 * Parses a CODEOWNERS file.
 * @example parseCodeowners('/access/policy.yaml @example/security-leads\n').rules[0].owners // ['@example/security-leads']
 */
export function parseCodeowners(text: string): ParsedCodeowners {
  const rules: CodeownersRule[] = [];
  const problems: CodeownersProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const hash = raw.indexOf('#');
    // GitHub: "Escaping a pattern starting with # using \ ... doesn't work": the rest is a comment.
    if (hash > 0 && raw[hash - 1] === '\\') return problems.push({ line, reason: 'escaped-hash' });
    const content = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (content === '') return;
    const [pattern = '', ...owners] = splitFields(content);
    if (pattern.startsWith('!')) return problems.push({ line, reason: 'negation' });
    if (/(^|[^\\])[[\]]/.test(pattern)) return problems.push({ line, reason: 'character-range' });
    if (pattern.includes('***') || pattern === '/' || pattern.endsWith('\\'))
      return problems.push({ line, reason: 'bad-pattern' });
    if (owners.some((o) => !OWNER.test(o))) return problems.push({ line, reason: 'bad-owner' });
    rules.push({ pattern, owners, line, matcher: compilePattern(pattern) });
  });
  return { rules, problems };
}

/**
 * The owners of `path` (relative to the repository root, no leading slash): those of the last
 * rule that matches, or none.
 */
export function findCodeowners(rules: readonly CodeownersRule[], path: string): string[] {
  const clean = path.replace(/^\/+/, '');
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i]!;
    if (rule.matcher.test(clean)) return rule.owners;
  }
  return [];
}

// Fields are separated by whitespace; `\ ` keeps a space inside a pattern (the backslash stays
// in the field: compilePattern reads escapes).
function splitFields(content: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < content.length; i++) {
    const c = content[i]!;
    if (c === '\\' && i + 1 < content.length) {
      current += c + content[++i];
    } else if (/\s/.test(c)) {
      if (current !== '') fields.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (current !== '') fields.push(current);
  return fields;
}

/**
 * Compiles a gitignore-style pattern (GitHub's dialect) to a regular expression over repository
 * paths. A slash at the start or in the middle anchors it at the root; a trailing slash matches
 * a folder's contents; `**` as a whole segment spans folders; `*` and `?` elsewhere (also `**`
 * inside a segment, as in `a**b`) stay within one segment.
 * @example compilePattern('docs/*').test('docs/a/b.md') // false
 */
export function compilePattern(pattern: string): RegExp {
  let segments = pattern.split('/');
  if (segments[0] === '') segments = segments.slice(1);
  else if (segments.length === 1 || (segments.length === 2 && segments[1] === '')) {
    // One segment, no leading slash: it matches at any depth.
    if (segments[0] !== '**') segments = ['**', ...segments];
  }
  if (segments.length > 1 && segments[segments.length - 1] === '') segments[segments.length - 1] = '**';
  const last = segments.length - 1;
  let regex = '^';
  let needSlash = false;
  segments.forEach((segment, i) => {
    if (segment === '**') {
      if (i === 0 && i === last) regex += '.+';
      else if (i === 0) regex += '(?:.+/)?';
      else if (i === last) regex += '/.*';
      else regex += '(?:/.+)?';
      needSlash = i !== 0;
      return;
    }
    if (needSlash) regex += '/';
    needSlash = true;
    if (segment === '*') {
      regex += '[^/]+';
      return;
    }
    regex += segmentRegex(segment);
    if (i === last) regex += '(?:/.*)?';
  });
  return new RegExp(`${regex}$`);
}

function segmentRegex(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '\\' && i + 1 < segment.length) out += escapeRegex(segment[++i]!);
    else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += escapeRegex(c);
  }
  return out;
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * A path written as a CODEOWNERS pattern that matches exactly that path: characters with a
 * meaning in patterns (space, `*`, `?`, `\`, `[`, `]`, a leading `!`) are escaped with `\`. A `#`
 * cannot be escaped in CODEOWNERS (it always starts a comment), so it becomes `?`, which matches
 * it (and any other single character: a slightly wider rule, never a narrower one).
 * @example escapeCodeownersPath('/my access/policy.yaml') // '/my\\ access/policy.yaml'
 */
export function escapeCodeownersPath(path: string): string {
  return path
    .replace(/[\s*?\\[\]]/g, '\\$&')
    .replace(/#/g, '?')
    .replace(/^!/, '\\!');
}
