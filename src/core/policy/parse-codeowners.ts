/**
 * GitHub's CODEOWNERS format: `pattern owner...` per line, `#` comments, the LAST matching
 * pattern wins (a matching line with no owners leaves the file unowned). Patterns follow
 * gitignore rules with GitHub's exceptions: no `!` negation, no `[...]` ranges, and a last
 * segment with a wildcard (`docs/*`) matches files only, not whole directories.
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

/** A line that is not a usable rule (GitHub ignores such lines too). */
export interface CodeownersProblem {
  line: number;
  reason: 'negation' | 'character-range' | 'bad-owner';
}

export interface ParsedCodeowners {
  rules: CodeownersRule[];
  problems: CodeownersProblem[];
}

const OWNER = /^(@[A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?|[^@\s]+@[^@\s]+)$/;

/**
 * Parses a CODEOWNERS file.
 * @example parseCodeowners('/access/policy.yaml @example/security-leads\n').rules[0].owners // ['@example/security-leads']
 */
export function parseCodeowners(text: string): ParsedCodeowners {
  const rules: CodeownersRule[] = [];
  const problems: CodeownersProblem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const content = stripComment(raw).trim();
    if (content === '') return;
    const [pattern = '', ...owners] = splitFields(content);
    if (pattern.startsWith('!')) return problems.push({ line, reason: 'negation' });
    if (/(^|[^\\])\[/.test(pattern)) return problems.push({ line, reason: 'character-range' });
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

// `#` starts a comment unless escaped (`\#` begins a pattern with a literal #).
function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '#') return line.slice(0, i);
  }
  return line;
}

// Fields are separated by whitespace; `\ ` keeps a space inside a pattern.
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

/** Compiles a gitignore-style pattern (GitHub's dialect) to a regular expression over repository paths. */
export function compilePattern(pattern: string): RegExp {
  const dirOnly = pattern.endsWith('/');
  let body = pattern.replace(/\/+$/, '');
  // A slash at the start or in the middle anchors the pattern at the repository root.
  const anchored = body.startsWith('/') || body.includes('/');
  body = body.replace(/^\/+/, '');
  const segments = body.split('/');
  const last = segments[segments.length - 1] ?? '';
  let regex = '';
  segments.forEach((segment, i) => {
    const isLast = i === segments.length - 1;
    if (segment === '**') {
      regex += isLast ? '.*' : '(?:[^/]+/)*';
      return;
    }
    regex += segmentRegex(segment) + (isLast ? '' : '/');
  });
  const prefix = anchored ? '^' : '^(?:.*/)?';
  const wildcardLast = /(^|[^\\])[*?]/.test(last) && last !== '**';
  const suffix = dirOnly ? '/.*$' : last === '**' || wildcardLast ? '$' : '(?:/.*)?$';
  return new RegExp(prefix + regex + suffix);
}

function segmentRegex(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '\\' && i + 1 < segment.length) out += escapeRegex(segment[++i]!);
    else if (c === '*') out += segment[i + 1] === '*' ? (i++, '.*') : '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += escapeRegex(c);
  }
  return out;
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
