import { UsageError } from '../../errors.js';

/**
 * Checks a `--format` value against the formats a command offers and narrows its type.
 * @example const format = parseFormat(values.format, ['text', 'json'] as const);
 */
export function parseFormat<F extends string>(value: string | undefined, allowed: readonly F[]): F {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as F;
  const list =
    allowed.length === 1 ? allowed[0] : `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`;
  throw new UsageError(`--format must be ${list}, not "${value}"`);
}
