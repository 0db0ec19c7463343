import { resolve } from 'node:path';
import type { AacConfig } from '../../config.js';
import type { Directory } from '../../core/plan/directory.js';
import type { DirectoryLayout } from '../../core/plan/directory-layout.js';
import { UsageError, ConfigError } from '../../errors.js';
import { FileDirectory } from '../../adapters/file/file-directory.js';

/**
 * The directory a command works on: `--directory file:PATH` (the embedded file directory), else
 * LDAP when `AAC_LDAP_URL` is set. The LDAP client is imported only when used.
 */
export async function openDirectory(
  spec: string | undefined,
  layout: DirectoryLayout,
  config: AacConfig,
  cwd: string,
): Promise<Directory> {
  if (spec !== undefined) {
    if (!spec.startsWith('file:') || spec.length <= 'file:'.length)
      throw new UsageError(`--directory must be file:PATH, not "${spec}"`);
    return new FileDirectory(resolve(cwd, spec.slice('file:'.length)), layout);
  }
  if (!config.ldap)
    throw new ConfigError(
      'no directory to reconcile: set AAC_LDAP_URL (with AAC_LDAP_BIND_DN and AAC_LDAP_BIND_PASSWORD), or pass --directory file:PATH',
    );
  const { openLdapDirectory } = await import('../../adapters/ldap/ldap-directory.js');
  const { url, bindDn, bindPassword, ca, startTls, connectTimeoutMs, timeoutMs } = config.ldap;
  return openLdapDirectory({
    url,
    bindDn,
    bindPassword,
    layout,
    startTls,
    ...(ca !== undefined ? { ca } : {}),
    ...(connectTimeoutMs !== undefined ? { connectTimeoutMs } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
}
