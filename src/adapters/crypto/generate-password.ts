import { randomInt } from 'node:crypto';

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
// No quotes, backslashes or spaces: the password is read out or typed by a manager during hand-over.
const SYMBOLS = '!#$%&*+-=?@^_';
const ALL = LOWER + UPPER + DIGITS + SYMBOLS;

/** Length of a temporary password. */
export const PASSWORD_LENGTH = 20;

/**
 * A temporary password from the operating system's CSPRNG (`crypto.randomInt`, unbiased): 20
 * characters with at least one lower-case letter, upper-case letter, digit and symbol, so it
 * meets AD complexity and common ppolicy quality checks. Look-alikes (l, I, O, 0, 1) are left out.
 */
export function generatePassword(length: number = PASSWORD_LENGTH): string {
  if (length < 4) throw new RangeError('a password needs at least 4 characters');
  const chars = [LOWER, UPPER, DIGITS, SYMBOLS].map(pick);
  while (chars.length < length) chars.push(pick(ALL));
  // Fisher-Yates, so the guaranteed classes are not always in front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)]!;
}
