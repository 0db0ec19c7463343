import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostic, DiagnosticCode } from '../diagnostics.js';
import { isDateOnly, parseCalendarDate } from '../model/time.js';
import { locate } from '../source.js';
import type { Kind, PathSegment, SourceFile } from '../source.js';

/** The JSON Schemas of the four kinds, as loaded from `schemas/`. */
export type SchemaSet = Record<Kind, object>;

/** Checks a parsed file against the schema of its kind; returns diagnostics with positions. */
export type SchemaChecker = (source: SourceFile) => Diagnostic[];

// Characters with a meaning in LDAP DNs (RFC 4514) or search filters (RFC 4515).
const LDAP_SPECIAL = /[,=+<>#;\\"*()\u0000]|^\s|\s$/;
// The one email rule lives in the schemas (`$defs.email`), so editors and `aac validate` agree.
export const EMAIL_PATTERN =
  "^(?=[^@]{1,64}@)[A-Za-z0-9_%+'-]+(?:\\.[A-Za-z0-9_%+'-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$";

const PATTERN_HELP: Record<string, string> = {
  '^[a-z][a-z0-9._-]{1,63}$': 'a lowercase letter, then 1-63 lowercase letters, digits, ".", "_" or "-"',
  '^[a-z][a-z0-9_-]{0,62}$': 'a lowercase letter, then up to 62 lowercase letters, digits, "_" or "-"',
  '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$':
    'a GitHub login: letters, digits and inner "-", at most 39 characters',
  '^[^\\u0000-\\u001f\\u007f]+$': 'text without control characters or line breaks',
  '^\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?$':
    'a date (YYYY-MM-DD) or an ISO 8601 date-time',
  '^\\d{4}-\\d{2}-\\d{2}$': 'a date (YYYY-MM-DD)',
  '^[1-9][0-9]{0,4}[hd]$': 'a duration in hours or days, such as 72h or 3d',
  [EMAIL_PATTERN]: 'an email address such as jane.smith@example.org (see the schema for the rule)',
};

/** Compiles the schemas once; the returned checker is reused for every file. */
export function createSchemaChecker(schemas: SchemaSet): SchemaChecker {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
  });
  // Real calendar dates: the patterns accept 2026-02-30, these do not (see model/time.ts).
  ajv.addFormat('date', {
    type: 'string',
    validate: (text: string) => isDateOnly(text) && parseCalendarDate(text) !== undefined,
  });
  ajv.addFormat('date-or-date-time', {
    type: 'string',
    validate: (text: string) => parseCalendarDate(text) !== undefined,
  });
  const validators = new Map<Kind, ValidateFunction>();
  for (const kind of Object.keys(schemas) as Kind[]) validators.set(kind, ajv.compile(schemas[kind]));

  return (source) => {
    const validate = validators.get(source.kind);
    if (validate === undefined || validate(source.value)) return [];
    return toDiagnostics(source, validate.errors ?? []);
  };
}

function toDiagnostics(source: SourceFile, errors: readonly ErrorObject[]): Diagnostic[] {
  // A failed oneOf/anyOf also reports why each branch failed; only the summary helps the reader.
  // Branch errors sit at or below the alternative's instance path (their schema path may be a $ref elsewhere).
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath);
  const isBranchError = (e: ErrorObject): boolean =>
    e.keyword !== 'oneOf' &&
    e.keyword !== 'anyOf' &&
    alternatives.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`));
  // A value that fails its pattern is not also reported as "not a real date": one problem, one line.
  const patternAt = new Set(errors.filter((e) => e.keyword === 'pattern').map((e) => e.instancePath));
  const kept = errors.filter((e) => !isBranchError(e) && !(e.keyword === 'format' && patternAt.has(e.instancePath)));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of kept) {
    const d = toDiagnostic(source, error);
    const key = `${d.line}:${d.column}:${d.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

function toDiagnostic(source: SourceFile, error: ErrorObject): Diagnostic {
  const path = parsePointer(error.instancePath);
  const name = describePath(path);
  const params = error.params as Record<string, unknown>;
  let code: DiagnosticCode = 'SCHEMA_INVALID';
  let message = `${name} ${error.message ?? 'is invalid'}`;
  let at = locate(source, path);

  switch (error.keyword) {
    case 'required': {
      const missing = String(params['missingProperty']);
      code = 'SCHEMA_REQUIRED';
      message = `${path.length === 0 ? source.kind : name} is missing required property "${missing}"`;
      break;
    }
    case 'additionalProperties': {
      const extra = String(params['additionalProperty']);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const hint = closest(extra, known);
      code = 'SCHEMA_UNKNOWN_PROPERTY';
      message = `unknown property "${extra}"${path.length ? ` in ${name}` : ''}${hint ? `; did you mean "${hint}"?` : known.length ? `; expected one of ${known.join(', ')}` : ''}`;
      at = locate(source, [...path, extra], { key: true });
      break;
    }
    case 'type':
      code = 'SCHEMA_TYPE';
      message = `${name} must be ${article(String(params['type']))}, not ${typeName(error.data)}`;
      break;
    case 'enum':
    case 'const': {
      const allowed = (params['allowedValues'] as unknown[] | undefined) ?? [params['allowedValue']];
      code = 'SCHEMA_ENUM';
      message = `${name} is ${JSON.stringify(error.data)}; expected ${allowed.map((v) => JSON.stringify(v)).join(' or ')}`;
      break;
    }
    case 'pattern': {
      const value = String(error.data);
      const property = error.propertyName;
      if (property !== undefined) at = locate(source, [...path, property], { key: true });
      const shown = JSON.stringify(property ?? value);
      const special = LDAP_SPECIAL.exec(property ?? value);
      if (special) {
        code = 'UNSAFE_IDENTIFIER';
        const what =
          /\s/.test(special[0]) || special[0] === '' ? 'leading or trailing space' : JSON.stringify(special[0]);
        message = `${property !== undefined ? `key ${shown}` : `${name} ${shown}`} contains ${what}, which has a meaning in LDAP names and filters; identifiers may not contain it`;
      } else {
        code = 'SCHEMA_PATTERN';
        const pattern = String(params['pattern']);
        message = `${property !== undefined ? `key ${shown}` : `${name} ${shown}`} must be ${PATTERN_HELP[pattern] ?? `of the form ${pattern}`}`;
      }
      break;
    }
    case 'propertyNames':
      // The pattern error on the key itself carries the message.
      code = 'SCHEMA_PATTERN';
      message = `${name} has an invalid key`;
      break;
    case 'format':
      code = 'SCHEMA_FORMAT';
      message = `${name} ${JSON.stringify(error.data)} is not a real calendar ${params['format'] === 'date' ? 'date (YYYY-MM-DD)' : 'date or date-time'}`;
      break;
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
    case 'uniqueItems':
      code = 'SCHEMA_RANGE';
      message = `${name} ${error.message ?? 'is out of range'}`;
      break;
    case 'oneOf':
    case 'anyOf': {
      const help = (error.parentSchema as { description?: string } | undefined)?.description;
      message = `${name} is not valid${help ? `: ${help}` : ''}`;
      break;
    }
  }
  return { code, severity: 'error', message, file: source.path, line: at.line, column: at.column };
}

function parsePointer(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function describePath(path: readonly PathSegment[]): string {
  if (path.length === 0) return 'the file';
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function article(type: string): string {
  const words: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    boolean: 'true or false',
    integer: 'a whole number',
    number: 'a number',
    null: 'empty',
  };
  return words[type] ?? type;
}

function typeName(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The known name within edit distance 2 of `word`, if exactly one is that close. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
