import { randomUUID, scryptSync, randomBytes } from 'node:crypto';
import { childDn } from '../ldap/child-dn.js';
import { assertNever } from '../../core/plan/action.js';
import type { Action, MemberAddition } from '../../core/plan/action.js';
import type { Directory, WriteContext } from '../../core/plan/directory.js';
import type { AccountAttributes, DirectorySnapshot, MemberRef } from '../../core/plan/directory-snapshot.js';
import { ConfigError, DirectoryError } from '../../errors.js';
import type { DirectoryLayout } from '../../core/plan/directory-layout.js';

/** An account as the embedded directory stores it. The password is kept only as a salted scrypt hash. */
export interface StoredAccount {
  key: string;
  dn: string;
  uid: string;
  attributes: Partial<AccountAttributes>;
  locked: boolean;
  mustChangePassword: boolean;
  /** ms since the epoch */
  passwordSetAt: number;
  passwordHash: string;
}

export interface StoredGroup {
  key: string;
  dn: string;
  name: string;
  /** Member DNs; the group's own DN is the empty-group placeholder, as in the LDAP adapter. */
  members: string[];
}

/** Everything the embedded directory holds: the JSON saved by the file directory. */
export interface DirectoryState {
  accounts: StoredAccount[];
  groups: StoredGroup[];
}

/**
 * A directory held in memory that behaves like OpenLDAP with the refint overlay where aac cares:
 * a rename rewrites member values, a groupOfNames may not lose its last member, entries have a
 * stable key. Used by the file directory and by tests that substitute at the interface.
 */
export class MemoryDirectory implements Directory {
  state: DirectoryState;
  private readonly layout: DirectoryLayout;
  private readonly now: () => number;

  constructor(
    layout: DirectoryLayout,
    state: DirectoryState = { accounts: [], groups: [] },
    options: { now?: () => number } = {},
  ) {
    this.layout = layout;
    this.state = state;
    this.now = options.now ?? Date.now;
  }

  async read(): Promise<DirectorySnapshot> {
    const keyOfDn = new Map(this.state.accounts.map((a) => [a.dn.toLowerCase(), a.key]));
    const { dns, filters } = this.layout.unmanaged;
    if (filters.length > 0)
      throw new ConfigError(
        `reconcile.unmanaged: filters (${filters.join(', ')}) need an LDAP directory; the file directory matches DNs only`,
      );
    const tops = dns.map((dn) => dn.toLowerCase());
    const unmanaged = (dn: string): { unmanaged?: true } =>
      tops.some((top) => dn.toLowerCase() === top || dn.toLowerCase().endsWith(`,${top}`)) ? { unmanaged: true } : {};
    const snapshot: DirectorySnapshot = {
      accounts: this.state.accounts.map((a) => ({
        key: a.key,
        dn: a.dn,
        uid: a.uid,
        rdnUid: a.uid,
        attributes: { ...a.attributes },
        locked: a.locked,
        mustChangePassword: a.mustChangePassword,
        passwordSetAt: a.passwordSetAt,
        ...unmanaged(a.dn),
      })),
      groups: this.state.groups.map((g) => ({
        key: g.key,
        dn: g.dn,
        name: g.name,
        hasPlaceholder: g.members.some((m) => m.toLowerCase() === g.dn.toLowerCase()),
        members: g.members
          .filter((m) => m.toLowerCase() !== g.dn.toLowerCase())
          .map((dn): MemberRef => {
            const key = keyOfDn.get(dn.toLowerCase());
            return key === undefined ? { dn } : { key, dn };
          }),
        ...unmanaged(g.dn),
      })),
    };
    return snapshot;
  }

  async write(action: Action, context: WriteContext = {}): Promise<'done' | 'already'> {
    switch (action.type) {
      case 'create-account': {
        const dn = this.accountDn(action.uid);
        if (this.findAccount(dn)) return 'already';
        if (context.password === undefined)
          throw new DirectoryError('write-failed', `create-account ${action.uid}: no password given`);
        this.state.accounts.push({
          key: randomUUID(),
          dn,
          uid: action.uid,
          attributes: { ...action.attributes },
          locked: false,
          mustChangePassword: true,
          passwordSetAt: this.now(),
          passwordHash: hashPassword(context.password),
        });
        return 'done';
      }
      case 'rename-account': {
        const account = this.byKey(action.account.key);
        const dn = this.accountDn(action.newUid);
        if (account.dn === dn && account.uid === action.newUid) return 'already';
        const holder = this.findAccount(dn);
        // A case-only rename finds the entry itself, as modrdn does in LDAP.
        if (holder && holder !== account)
          throw new DirectoryError('write-failed', `rename ${action.account.uid}: ${dn} already exists`);
        for (const group of this.state.groups)
          group.members = group.members.map((m) => (m.toLowerCase() === account.dn.toLowerCase() ? dn : m));
        account.dn = dn;
        account.uid = action.newUid;
        return 'done';
      }
      case 'update-account': {
        const account = this.byKey(action.account.key);
        for (const change of action.changes) {
          if (change.to === undefined) delete account.attributes[change.attribute];
          else account.attributes[change.attribute] = change.to;
        }
        return 'done';
      }
      case 'unlock-account':
      case 'lock-account': {
        const account = this.byKey(action.account.key);
        const locked = action.type === 'lock-account';
        if (account.locked === locked) return 'already';
        account.locked = locked;
        return 'done';
      }
      case 'delete-account': {
        const index = this.state.accounts.findIndex((a) => a.key === action.account.key);
        if (index < 0) return 'already';
        const [gone] = this.state.accounts.splice(index, 1);
        for (const group of this.state.groups)
          group.members = group.members.filter((m) => m.toLowerCase() !== gone!.dn.toLowerCase());
        return 'done';
      }
      case 'create-group': {
        const dn = childDn('cn', action.group, this.layout.groupsDn);
        if (this.state.groups.some((g) => g.dn.toLowerCase() === dn.toLowerCase())) return 'already';
        const members = action.members.map((m) => this.memberDn(m));
        this.state.groups.push({
          key: randomUUID(),
          dn,
          name: action.group,
          members: members.length > 0 || this.layout.flavor !== 'openldap' ? members : [dn],
        });
        return 'done';
      }
      case 'rename-group': {
        const group = this.state.groups.find((g) => g.key === action.groupKey);
        if (!group) throw new DirectoryError('write-failed', `group ${action.from} no longer exists`);
        if (group.name === action.group) return 'already';
        const dn = childDn('cn', action.group, this.layout.groupsDn);
        const self = group.dn.toLowerCase();
        group.members = group.members.map((m) => (m.toLowerCase() === self ? dn : m));
        group.dn = dn;
        group.name = action.group;
        return 'done';
      }
      case 'update-members': {
        const group = this.state.groups.find((g) => g.key === action.groupKey);
        if (!group) throw new DirectoryError('write-failed', `group ${action.group} no longer exists`);
        const before = group.members.join('\n');
        const members = new Map(group.members.map((m) => [m.toLowerCase(), m]));
        for (const r of action.remove) {
          // A rename earlier in the run moved the value with the entry: find it by key.
          const moved = r.key === undefined ? undefined : this.state.accounts.find((a) => a.key === r.key)?.dn;
          members.delete((moved ?? r.dn).toLowerCase());
        }
        if (action.placeholder === 'remove') members.delete(group.dn.toLowerCase());
        for (const a of action.add) members.set(this.memberDn(a).toLowerCase(), this.memberDn(a));
        if (action.placeholder === 'add') members.set(group.dn.toLowerCase(), group.dn);
        // As the LDAP adapter does after an object class violation: an emptied group keeps its placeholder.
        if (members.size === 0 && this.layout.flavor === 'openldap') members.set(group.dn.toLowerCase(), group.dn);
        group.members = [...members.values()];
        return group.members.join('\n') === before ? 'already' : 'done';
      }
      default:
        return assertNever(action);
    }
  }

  async close(): Promise<void> {}

  private accountDn(uid: string): string {
    return childDn('uid', uid, this.layout.peopleDn);
  }

  private memberDn(member: MemberAddition): string {
    const byKey = member.key === undefined ? undefined : this.state.accounts.find((a) => a.key === member.key);
    return byKey?.dn ?? this.accountDn(member.uid);
  }

  private findAccount(dn: string): StoredAccount | undefined {
    return this.state.accounts.find((a) => a.dn.toLowerCase() === dn.toLowerCase());
  }

  private byKey(key: string): StoredAccount {
    const account = this.state.accounts.find((a) => a.key === key);
    if (!account) throw new DirectoryError('write-failed', `no entry with key ${key}`);
    return account;
  }
}

/** scrypt cost (N). Low on purpose: the embedded directory is for trying aac, not for production accounts. */
const SCRYPT_COST = 1024;

/** A salted scrypt hash, so the embedded directory never stores a password in clear. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${SCRYPT_COST}$${salt.toString('base64')}$${scryptSync(password, salt, 32, { N: SCRYPT_COST }).toString('base64')}`;
}
