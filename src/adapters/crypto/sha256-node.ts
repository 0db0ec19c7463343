import { createHash } from 'node:crypto';

/** SHA-256 (hex) of a UTF-8 string with node:crypto: the hash function the core's audit chain is given (see HashText). */
export function sha256Node(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
