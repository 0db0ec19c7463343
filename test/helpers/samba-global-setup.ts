import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup of the integration project: a temp folder where the first suite that needs
 * Samba AD provisions the template domain (once per run; see test/helpers/samba.mjs), removed
 * at the end. Suites that do not use Samba cost nothing: provisioning is on demand.
 */
export default function sambaRoot(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'aac-samba-root-'));
  // Forked workers inherit the environment of the process that runs the global setup.
  process.env['AAC_TEST_SAMBA_ROOT'] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
