import { createHash } from 'node:crypto';

/** SHA-256 (hex) of a UTF-8 string with node:crypto: the same digest as the core's sha256Hex, several times faster on large audit logs. */
export function sha256Node(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
