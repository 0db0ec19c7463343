import { describe, expect, it } from 'vitest';
import { parseFormat } from '../../src/entrypoints/cli/parse-format.js';
import { UsageError } from '../../src/errors.js';

describe('parseFormat', () => {
  it('returns an offered format', () => {
    expect(parseFormat('json', ['text', 'json'] as const)).toBe('json');
  });

  it.each([['xml'], [undefined], ['JSON']])('refuses %j with a usage error', (value) => {
    expect(() => parseFormat(value, ['text', 'json', 'github'] as const)).toThrow(UsageError);
  });
});
