import { readCliSettings } from '../../config.js';
import { UsageError } from '../../errors.js';

/**
 * The time a command judges by: `--now`, else `AAC_NOW` (for reproducible CI runs and tests),
 * else the clock. Milliseconds since the epoch.
 */
export function readNow(flag: string | undefined, env: NodeJS.ProcessEnv): number {
  const text = flag ?? readCliSettings(env).now;
  if (text === undefined || text === '') return Date.now();
  const t = Date.parse(text);
  if (Number.isNaN(t))
    throw new UsageError(`--now must be an ISO 8601 time such as 2026-01-31T12:00:00Z, not "${text}"`);
  return t;
}
