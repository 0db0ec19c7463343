import {
  AlreadyExistsError,
  Client,
  NoSuchAttributeError,
  NoSuchObjectError,
  ObjectClassViolationError,
  ResultCodeError,
  SizeLimitExceededError,
  TypeOrValueExistsError,
} from 'ldapts';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';
import { actionSubject, assertNever } from '../../core/plan/action.js';
import type { Action, MemberAddition } from '../../core/plan/action.js';
import type { Directory, WriteContext } from '../../core/plan/directory.js';
import type { DirectoryLayout } from '../../core/plan/directory-layout.js';
import type {
  DirectorySnapshot,
  MemberRef,
  ObservedAccount,
  ObservedGroup,
} from '../../core/plan/directory-snapshot.js';
import { ConfigError, DirectoryError } from '../../errors.js';
import type { DirectoryErrorCode } from '../../errors.js';
import { childDn, parseRdn } from './child-dn.js';
import { activeDirectoryDialect, parseRangedValues } from './active-directory-dialect.js';
import { openldapDialect } from './openldap-dialect.js';
import type { LdapDialect, LdapEntry, LdapModification, ParsedAccount } from './ldap-dialect.js';
import { coalesceWrites } from './coalesce-writes.js';
import { computeMemberChanges } from './compute-member-changes.js';
import { describeError } from './describe-error.js';
import { normalizeDn } from './normalize-dn.js';
import { toAttributes, toChanges } from './to-ldapts.js';

export interface LdapDirectoryOptions {
  /** `ldap://host:port` or `ldaps://host:port`. */
  url: string;
  bindDn: string;
  /** Never logged, never part of an error message. */
  bindPassword: string;
  layout: DirectoryLayout;
  /** PEM CA certificates to trust for LDAPS or StartTLS. */
  ca?: string;
  /** Upgrade an `ldap://` connection with StartTLS before binding. */
  startTls?: boolean;
  /** Entries per page of the paged search (default 500). */
  pageSize?: number;
  /** Milliseconds an operation may take before the connection is dropped (default 60 000). */
  timeoutMs?: number;
}

/** Member values checked one by one when they point into the people OU but were not read; more is a short read. */
const MAX_UNRESOLVED_CHECKS = 100;

/** Connects, binds and returns the directory. Throws `DirectoryError` (`connect-failed`, `bind-failed`). */
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
  const tlsOptions: ConnectionOptions = options.ca ? { ca: options.ca } : {};
  const client = new Client({
    url: options.url,
    timeout: options.timeoutMs ?? 60_000,
    connectTimeout: 10_000,
    // Only for ldaps://: given for an ldap:// URL, ldapts' StartTLS upgrade fails.
    ...(options.url.toLowerCase().startsWith('ldaps:') ? { tlsOptions } : {}),
    createConnection: ((...args: Parameters<typeof netConnect>) =>
      coalesceWrites(netConnect(...args))) as typeof netConnect,
    createSecureConnection: ((...args: Parameters<typeof tlsConnect>) =>
      coalesceWrites(tlsConnect(...args))) as typeof tlsConnect,
  });
  try {
    // Node checks the certificate against `host`, which defaults to localhost when upgrading a socket.
    if (options.startTls) await client.startTLS({ ...tlsOptions, host: new URL(options.url).hostname });
  } catch (error) {
    throw new DirectoryError('connect-failed', `cannot start TLS with ${options.url}: ${describeError(error)}`, {
      cause: error,
    });
  }
  try {
    await client.bind(options.bindDn, options.bindPassword);
  } catch (error) {
    await client.unbind().catch(() => undefined);
    const code: DirectoryErrorCode = error instanceof ResultCodeError ? 'bind-failed' : 'connect-failed';
    throw new DirectoryError(code, `cannot bind to ${options.url} as ${options.bindDn}: ${describeError(error)}`, {
      cause: error,
    });
  }
  const dialect = options.layout.flavor === 'active-directory' ? activeDirectoryDialect : openldapDialect;
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
  private readonly accounts = new Map<string, ParsedAccount>();
  private readonly newAccountDns = new Map<string, string>();

  constructor(
    private readonly client: Client,
    private readonly options: LdapDirectoryOptions,
    private readonly dialect: LdapDialect,
  ) {}

  async read(): Promise<DirectorySnapshot> {
    const { peopleDn, groupsDn } = this.options.layout;
    const accountEntries = await this.search(peopleDn, this.dialect.accountFilter, this.dialect.accountAttributes);
    const accounts: ObservedAccount[] = [];
    const keyByDn = new Map<string, string>();
    for (const entry of accountEntries) {
      const parsed = this.dialect.parseAccount(entry);
      if (parsed.key === '')
        throw new DirectoryError(
          'short-read',
          `${entry.dn} came back without its ${this.dialect.accountAttributes[0]}`,
        );
      const rdn = parseRdn(entry.dn);
      const account: ObservedAccount = {
        key: parsed.key,
        dn: entry.dn,
        uid: parsed.uid,
        attributes: parsed.attributes,
        locked: parsed.locked,
        mustChangePassword: parsed.mustChangePassword,
      };
      if (rdn && rdn.attribute === this.dialect.accountRdnAttribute.toLowerCase()) account.rdnUid = rdn.value;
      if (parsed.passwordSetAt !== undefined) account.passwordSetAt = parsed.passwordSetAt;
      accounts.push(account);
      keyByDn.set(normalizeDn(entry.dn), parsed.key);
      this.dnByKey.set(parsed.key, entry.dn);
      this.accounts.set(parsed.key, parsed);
    }
    const groupEntries = await this.search(groupsDn, this.dialect.groupFilter, this.dialect.groupAttributes);
    const groups: ObservedGroup[] = [];
    const unresolved = new Set<string>();
    const peopleSuffix = `,${normalizeDn(peopleDn)}`;
    for (const entry of groupEntries) {
      const { key, name } = this.dialect.parseGroup(entry);
      if (key === '')
        throw new DirectoryError('short-read', `${entry.dn} came back without its ${this.dialect.groupAttributes[0]}`);
      const self = normalizeDn(entry.dn);
      const values = await this.readMembers(entry);
      const members: MemberRef[] = [];
      let hasPlaceholder = false;
      for (const dn of values) {
        const normal = normalizeDn(dn);
        if (normal === self) {
          hasPlaceholder = true;
          continue;
        }
        const memberKey = keyByDn.get(normal);
        members.push(memberKey === undefined ? { dn } : { key: memberKey, dn });
        if (memberKey === undefined && normal.endsWith(peopleSuffix)) unresolved.add(dn);
      }
      groups.push({ key, dn: entry.dn, name, members, hasPlaceholder });
    }
    await this.checkUnresolved([...unresolved]);
    return { accounts, groups };
  }

  async write(action: Action, context: WriteContext = {}): Promise<'done' | 'already'> {
    try {
      return await this.perform(action, context);
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
    await this.client.unbind().catch(() => undefined);
  }

  private async perform(action: Action, context: WriteContext): Promise<'done' | 'already'> {
    const { layout } = this.options;
    switch (action.type) {
      case 'create-account': {
        const password = context.password;
        if (password === undefined)
          throw new DirectoryError('write-failed', `create-account ${action.uid}: no password given`);
        const dn = childDn(this.dialect.accountRdnAttribute, action.uid, layout.peopleDn);
        return this.ignoring(AlreadyExistsError, () =>
          this.op().add(dn, toAttributes(this.dialect.newAccount(action.uid, action.attributes, password))),
        );
      }
      case 'rename-account': {
        const from = this.dnOf(action.account.key, action.account.dn);
        const parent = parseRdn(from)?.parent ?? layout.peopleDn;
        const to = childDn(this.dialect.accountRdnAttribute, action.newUid, parent);
        let outcome: 'done' | 'already' = 'done';
        if (normalizeDn(from) !== normalizeDn(to)) {
          try {
            await this.op().modifyDN(from, to);
          } catch (error) {
            // Renamed by a run whose answer was lost: the old name is gone and the new one is there.
            if (!(error instanceof NoSuchObjectError) || !(await this.exists(to))) throw error;
            outcome = 'already';
          }
        }
        this.dnByKey.set(action.account.key, to);
        const extra = this.dialect.renameChanges(action.newUid);
        if (extra.length > 0) await this.op().modify(to, toChanges(extra));
        return outcome;
      }
      case 'update-account':
        await this.op().modify(
          this.dnOf(action.account.key, action.account.dn),
          toChanges(this.dialect.attributeChanges(action.changes)),
        );
        return 'done';
      case 'lock-account':
        await this.op().modify(
          this.dnOf(action.account.key, action.account.dn),
          toChanges(this.dialect.lockChanges(this.accounts.get(action.account.key))),
        );
        return 'done';
      case 'unlock-account':
        return this.ignoring(NoSuchAttributeError, () =>
          this.op().modify(
            this.dnOf(action.account.key, action.account.dn),
            toChanges(this.dialect.unlockChanges(this.accounts.get(action.account.key))),
          ),
        );
      case 'delete-account':
        return this.ignoring(NoSuchObjectError, () => this.op().del(this.dnOf(action.account.key, action.account.dn)));
      case 'create-group': {
        const dn = childDn('cn', action.group, layout.groupsDn);
        const members = action.members.map((m) => this.memberDn(m));
        const initial = members.length === 0 && this.dialect.needsPlaceholder ? [dn] : members;
        try {
          await this.op().add(dn, toAttributes(this.dialect.newGroup(action.group, initial)));
          return 'done';
        } catch (error) {
          if (!(error instanceof AlreadyExistsError)) throw error;
          return this.reconcileMembers(dn, members, [], undefined);
        }
      }
      case 'update-members': {
        const add = action.add.map((m) => this.memberDn(m));
        const remove = action.remove.map((r) => r.dn);
        const changes: LdapModification[] = [];
        if (add.length > 0 || action.placeholder === 'add')
          changes.push({
            operation: 'add',
            type: 'member',
            values: [...add, ...(action.placeholder === 'add' ? [action.groupDn] : [])],
          });
        if (remove.length > 0 || action.placeholder === 'remove')
          changes.push({
            operation: 'delete',
            type: 'member',
            values: [...remove, ...(action.placeholder === 'remove' ? [action.groupDn] : [])],
          });
        if (changes.length === 0) return 'already';
        try {
          await this.op().modify(action.groupDn, toChanges(changes));
          return 'done';
        } catch (error) {
          // A value already there or already gone (a retry after a lost answer), or a group that would
          // be left empty: redo from what the group holds now.
          if (
            !(error instanceof TypeOrValueExistsError) &&
            !(error instanceof NoSuchAttributeError) &&
            !(error instanceof ObjectClassViolationError)
          )
            throw error;
          return this.reconcileMembers(action.groupDn, add, remove, action.placeholder);
        }
      }
      default:
        return assertNever(action);
    }
  }

  /** Brings a group to (current - remove + add), keeping the placeholder rule, from a fresh read of the group. */
  private async reconcileMembers(
    groupDn: string,
    add: string[],
    remove: string[],
    placeholder: 'add' | 'remove' | undefined,
  ): Promise<'done' | 'already'> {
    const { searchEntries } = await this.op().search(groupDn, { scope: 'base', attributes: ['member'] });
    const current = searchEntries[0] ? parseRangedValues(searchEntries[0] as LdapEntry, 'member').values : [];
    const changes = computeMemberChanges({
      groupDn,
      current,
      add,
      remove,
      placeholder,
      needsPlaceholder: this.dialect.needsPlaceholder,
    });
    if (changes.length === 0) return 'already';
    await this.op().modify(groupDn, toChanges(changes));
    return 'done';
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

  private async ignoring(
    errorClass: abstract new (...args: never[]) => Error,
    operation: () => Promise<void>,
  ): Promise<'done' | 'already'> {
    try {
      await operation();
      return 'done';
    } catch (error) {
      if (error instanceof errorClass) return 'already';
      throw error;
    }
  }

  private async search(base: string, filter: LdapDialectFilter, attributes: string[]): Promise<LdapEntry[]> {
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
      if (error instanceof DirectoryError) throw error;
      if (error instanceof NoSuchObjectError) return [];
      const code: DirectoryErrorCode =
        error instanceof SizeLimitExceededError
          ? 'size-limit'
          : error instanceof ResultCodeError
            ? 'read-failed'
            : 'connection-lost';
      throw new DirectoryError(code, `cannot read ${base}: ${describeError(error)}`, { cause: error });
    }
  }

  /** AD returns big member lists in ranges; read them all. OpenLDAP returns them whole. */
  private async readMembers(entry: LdapEntry): Promise<string[]> {
    let { values, next } = parseRangedValues(entry, 'member');
    while (next !== undefined) {
      const { searchEntries } = await this.op().search(entry.dn, { scope: 'base', attributes: [next] });
      const chunk = parseRangedValues((searchEntries[0] ?? { dn: entry.dn }) as LdapEntry, 'member');
      if (chunk.values.length === 0)
        throw new DirectoryError('short-read', `${entry.dn}: a range of member values came back empty`);
      values = values.concat(chunk.values);
      next = chunk.next;
    }
    return values;
  }

  /**
   * Member values that point into the people OU but match no account read are either dangling (the
   * entry is gone: drift) or a sign the read missed entries. Checking them one by one tells which;
   * a missed entry aborts, since removals must never be computed from a partial read.
   */
  private async checkUnresolved(dns: string[]): Promise<void> {
    if (dns.length > MAX_UNRESOLVED_CHECKS)
      throw new DirectoryError(
        'short-read',
        `${dns.length} group members point into ${this.options.layout.peopleDn} but were not read`,
      );
    for (const dn of dns) {
      if (await this.exists(dn))
        throw new DirectoryError(
          'short-read',
          `${dn} exists but the read of ${this.options.layout.peopleDn} did not return it`,
        );
    }
  }

  private async exists(dn: string): Promise<boolean> {
    try {
      const { searchEntries } = await this.op().search(dn, { scope: 'base', attributes: ['1.1'] });
      return searchEntries.length > 0;
    } catch (error) {
      if (error instanceof NoSuchObjectError) return false;
      throw error;
    }
  }

  private dnOf(key: string, planned: string): string {
    return this.dnByKey.get(key) ?? planned;
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

type LdapDialectFilter = LdapDialect['accountFilter'];
