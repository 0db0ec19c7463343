import {
  Control,
  InsufficientAccessError,
  NoSuchObjectError,
  ResultCodeError,
  UnavailableCriticalExtensionError,
} from 'ldapts';
import type { Client } from 'ldapts';
import type { DirectoryLayout } from '../../core/plan/directory-layout.js';
import { ConfigError, DirectoryError } from '../../errors.js';
import { firstValue } from './ldap-dialect.js';
import type { LdapDialect, LdapEntry } from './ldap-dialect.js';
import { describeError } from './describe-error.js';

/**
 * The Sun account usability control (1.3.6.1.4.1.42.2.27.9.5.8): only the ppolicy overlay
 * answers it, so a search that marks it critical fails with unavailableCriticalExtension (12)
 * on a database where the overlay is not active, and succeeds where it is. Nothing is written.
 */
const ACCOUNT_USABILITY_CONTROL = '1.3.6.1.4.1.42.2.27.9.5.8';

/**
 * Checks, before anything is read for the plan or written, that the directory is set up as aac
 * needs: the base DN and the managed OUs exist and are visible, and (OpenLDAP) the ppolicy overlay
 * is active on the database and its password policy enforces locks and must-change. Each problem
 * is a `ConfigError` naming the setting to fix; an LDAP error we did not expect is a
 * `DirectoryError`, never an internal error.
 */
export async function checkLdapSetup(client: Client, layout: DirectoryLayout, dialect: LdapDialect): Promise<void> {
  const baseSetting = layout.baseDnSource === 'AAC_LDAP_BASE_DN' ? 'AAC_LDAP_BASE_DN' : 'directory.baseDN';
  await requireEntry(client, layout.baseDn, `the base DN ${layout.baseDn} (${baseSetting})`);
  await requireEntry(client, layout.peopleDn, `the people OU ${layout.peopleDn} (directory.peopleOU)`);
  await requireEntry(client, layout.groupsDn, `the groups OU ${layout.groupsDn} (directory.groupsOU)`);
  if (dialect.flavor !== 'openldap') return;
  await requirePasswordPolicyOverlay(client, layout);
  await requirePasswordPolicy(client, layout.passwordPolicyDn);
}

async function requireEntry(client: Client, dn: string, what: string): Promise<LdapEntry> {
  try {
    const { searchEntries } = await client.search(dn, { scope: 'base', attributes: ['1.1'] });
    const entry = searchEntries[0];
    if (entry) return entry as LdapEntry;
    throw new ConfigError(`${what} did not come back from a search: check the name and the bind's read access`);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (error instanceof NoSuchObjectError)
      throw new ConfigError(`${what} does not exist on the server (or the bind may not see it)`, { cause: error });
    if (error instanceof InsufficientAccessError)
      throw new ConfigError(`${what} exists but the bind may not read it: give the bind read access to it`, {
        cause: error,
      });
    throw asDirectoryError(error, `cannot read ${dn}`);
  }
}

async function requirePasswordPolicyOverlay(client: Client, layout: DirectoryLayout): Promise<void> {
  try {
    await client.search(
      layout.peopleDn,
      { scope: 'base', attributes: ['1.1'] },
      new Control(ACCOUNT_USABILITY_CONTROL, { critical: true }),
    );
  } catch (error) {
    if (error instanceof UnavailableCriticalExtensionError)
      throw new ConfigError(
        `the ppolicy overlay is not active on the database holding ${layout.baseDn}: aac locks accounts (pwdAccountLockedTime) and flags temporary passwords (pwdReset) through it; add "overlay ppolicy" with ppolicy_default and ppolicy_use_lockout`,
        { cause: error },
      );
    throw asDirectoryError(error, `cannot check the ppolicy overlay on ${layout.peopleDn}`);
  }
}

async function requirePasswordPolicy(client: Client, dn: string): Promise<void> {
  const what = `the password policy ${dn} (directory.passwordPolicy; it must be the overlay's ppolicy_default)`;
  let entry: LdapEntry | undefined;
  try {
    const { searchEntries } = await client.search(dn, {
      scope: 'base',
      attributes: ['objectClass', 'pwdLockout', 'pwdMustChange', 'pwdAttribute'],
    });
    entry = searchEntries[0] as LdapEntry | undefined;
  } catch (error) {
    if (error instanceof NoSuchObjectError)
      throw new ConfigError(`${what} does not exist (or the bind may not see it)`, { cause: error });
    if (error instanceof InsufficientAccessError)
      throw new ConfigError(`${what} exists but the bind may not read it`, { cause: error });
    throw asDirectoryError(error, `cannot read ${dn}`);
  }
  if (!entry) throw new ConfigError(`${what} did not come back from a search`);
  const isTrue = (name: string): boolean => firstValue(entry, name)?.toUpperCase() === 'TRUE';
  if (!isTrue('pwdLockout'))
    throw new ConfigError(
      `${what} has pwdLockout ${firstValue(entry, 'pwdLockout') ?? 'unset'}: a locked account would still bind; set pwdLockout: TRUE`,
    );
  if (!isTrue('pwdMustChange'))
    throw new ConfigError(
      `${what} has pwdMustChange ${firstValue(entry, 'pwdMustChange') ?? 'unset'}: a temporary password would never have to be changed; set pwdMustChange: TRUE`,
    );
}

function asDirectoryError(error: unknown, what: string): DirectoryError {
  if (error instanceof DirectoryError) return error;
  return new DirectoryError(
    error instanceof ResultCodeError ? 'read-failed' : 'connection-lost',
    `${what}: ${describeError(error)}`,
    { cause: error },
  );
}
