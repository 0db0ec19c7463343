import { InsufficientAccessError, NoSuchObjectError, ResultCodeError, SizeLimitExceededError } from 'ldapts';
import type { Client, Filter } from 'ldapts';
import { actionSubject } from '../../core/plan/action.js';
import type { Action, MemberAddition } from '../../core/plan/action.js';
import type { Directory, WriteContext } from '../../core/plan/directory.js';
import type { DirectoryLayout } from '../../core/plan/directory-layout.js';
import type { DirectorySnapshot } from '../../core/plan/directory-snapshot.js';
import { ConfigError, DirectoryError } from '../../errors.js';
import type { DirectoryErrorCode } from '../../errors.js';
import { activeDirectoryDialect } from './active-directory-dialect.js';
import { checkLdapSetup } from './check-ldap-setup.js';
import { childDn } from './child-dn.js';
import { connectLdap, destroy } from './connect-ldap.js';
import type { LdapConnectionOptions } from './connect-ldap.js';
import type { LdapDialect, LdapEntry, ParsedAccount } from './ldap-dialect.js';
import { describeError } from './describe-error.js';
import { openldapDialect } from './openldap-dialect.js';
import { readLdapSnapshot } from './read-ldap-snapshot.js';
import type { LdapReader } from './read-ldap-snapshot.js';
import { performLdapWrite } from './write-ldap-action.js';

export interface LdapDirectoryOptions extends LdapConnectionOptions {
  layout: DirectoryLayout;
  /** Entries per page of the paged search (default 500). */
  pageSize?: number;
}

/**
 * Connects, binds, checks the directory is set up as aac needs (`checkLdapSetup`) and returns it.
 * Throws `ConfigError` for a setting to fix, `DirectoryError` (`connect-failed`, `bind-failed`)
 * otherwise; nothing is written before a read.
 */
export async function openLdapDirectory(options: LdapDirectoryOptions): Promise<LdapDirectory> {
  // AD accepts unicodePwd only over an encrypted connection: fail before connecting, not on the first new account.
  if (
    options.layout.flavor === 'active-directory' &&
    !options.url.toLowerCase().startsWith('ldaps:') &&
    !options.startTls
  ) {
    throw new ConfigError(
      'Active Directory sets passwords only over an encrypted connection: use an ldaps:// AAC_LDAP_URL or AAC_LDAP_STARTTLS=true',
    );
  }
  const client = await connectLdap(options);
  const dialect = options.layout.flavor === 'active-directory' ? activeDirectoryDialect : openldapDialect;
  try {
    await checkLdapSetup(client, options.layout, dialect);
  } catch (error) {
    destroy(client);
    throw error;
  }
  return new LdapDirectory(client, options, dialect);
}

/**
 * A directory over LDAP (ldapts). Reads only the people and groups OUs, with paged searches; every
 * write is one LDAP operation, so callers can keep several in flight on the one connection.
 * Once the connection drops, every later call fails with `connection-lost` instead of letting
 * ldapts reconnect unauthenticated.
 */
export class LdapDirectory implements Directory {
  private readonly dnByKey = new Map<string, string>();
  private accounts = new Map<string, ParsedAccount>();
  private readonly newAccountDns = new Map<string, string>();

  constructor(
    private readonly client: Client,
    private readonly options: LdapDirectoryOptions,
    private readonly dialect: LdapDialect,
  ) {}

  async read(): Promise<DirectorySnapshot> {
    const { snapshot, parsed } = await readLdapSnapshot(this.reader(), this.options.layout, this.dialect);
    this.accounts = parsed;
    for (const account of snapshot.accounts) this.dnByKey.set(account.key, account.dn);
    return snapshot;
  }

  async write(action: Action, context: WriteContext = {}): Promise<'done' | 'already'> {
    try {
      return await performLdapWrite(action, context, {
        client: () => this.op(),
        dialect: this.dialect,
        layout: this.options.layout,
        lookup: (dn, attributes) => this.lookup(dn, attributes),
        dnOf: (key, planned) => this.dnByKey.get(key) ?? planned,
        moved: (key, dn) => this.dnByKey.set(key, dn),
        memberDn: (member) => this.memberDn(member),
        parsedAccount: (key) => this.accounts.get(key),
      });
    } catch (error) {
      if (error instanceof DirectoryError) throw error;
      const lost = !(error instanceof ResultCodeError);
      throw new DirectoryError(
        lost ? 'connection-lost' : 'write-failed',
        `${action.type} ${actionSubject(action)}: ${describeError(error)}`,
        { cause: error },
      );
    }
  }

  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    // A server that stopped answering must not keep the process alive on the unbind.
    await Promise.race([
      this.client.unbind().catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, 1000))),
    ]);
    clearTimeout(timer);
    destroy(this.client);
  }

  /** The ldapts client, once we know the connection is still the bound one. */
  private op(): Client {
    if (!this.client.isBound)
      throw new DirectoryError(
        'connection-lost',
        'the connection to the directory was lost; no further writes in this run',
      );
    return this.client;
  }

  private reader(): LdapReader {
    return {
      search: (base, filter, attributes) => this.search(base, filter, attributes),
      lookup: (dn, attributes) => this.lookup(dn, attributes),
    };
  }

  private async search(base: string, filter: Filter, attributes: string[]): Promise<LdapEntry[]> {
    try {
      // sizeLimit 0: a server limit then fails the search (ldapts only tolerates code 4 when a limit was asked for).
      const result = await this.op().search(base, {
        scope: 'sub',
        filter,
        attributes,
        paged: { pageSize: this.options.pageSize ?? 500 },
        sizeLimit: 0,
        explicitBufferAttributes: this.dialect.binaryAttributes,
      });
      if (result.searchReferences.length > 0)
        throw new DirectoryError('short-read', `${base}: the server sent referrals; aac reads one server only`);
      return result.searchEntries as LdapEntry[];
    } catch (error) {
      throw readError(error, `cannot read ${base}`);
    }
  }

  private async lookup(dn: string, attributes: string[]): Promise<LdapEntry | 'missing' | 'hidden'> {
    try {
      const { searchEntries } = await this.op().search(dn, {
        scope: 'base',
        attributes,
        explicitBufferAttributes: this.dialect.binaryAttributes,
      });
      return (searchEntries[0] as LdapEntry | undefined) ?? 'hidden';
    } catch (error) {
      if (error instanceof NoSuchObjectError) return 'missing';
      if (error instanceof InsufficientAccessError) return 'hidden';
      throw readError(error, `cannot read ${dn}`);
    }
  }

  private memberDn(member: MemberAddition): string {
    const known = member.key === undefined ? undefined : this.dnByKey.get(member.key);
    if (known !== undefined) return known;
    // New accounts are named by uid; cached because a first apply adds each one to several groups.
    let dn = this.newAccountDns.get(member.uid);
    if (dn === undefined) {
      dn = childDn(this.dialect.accountRdnAttribute, member.uid, this.options.layout.peopleDn);
      this.newAccountDns.set(member.uid, dn);
    }
    return dn;
  }
}

/** A failed read as a `DirectoryError`: never an internal error, whatever the server answered. */
function readError(error: unknown, what: string): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const code: DirectoryErrorCode =
    error instanceof SizeLimitExceededError
      ? 'size-limit'
      : error instanceof InsufficientAccessError
        ? 'not-visible'
        : error instanceof ResultCodeError
          ? 'read-failed'
          : 'connection-lost';
  return new DirectoryError(code, `${what}: ${describeError(error)}`, { cause: error });
}
