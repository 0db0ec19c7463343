import type { Client } from 'ldapts';

export interface SlapdOptions {
  suffix?: string;
  sizeLimit?: number;
  tls?: boolean;
  /** slapd.conf `access to ...` lines placed before the default ACLs (which let `serviceDn` write everything). */
  acls?: string[];
  /** Overlays to turn off (all on by default). */
  overlays?: { ppolicy?: boolean; memberof?: boolean; refint?: boolean };
  /** Attributes added to (or overriding those of) the default password policy entry. */
  policy?: Record<string, string | string[]>;
}

export interface Slapd {
  url: string;
  port: number;
  suffix: string;
  adminDn: string;
  adminPassword: string;
  dir: string;
  /** With `tls`: the LDAPS URL and the CA certificate (PEM) that signed the server's. */
  ldapsUrl?: string;
  caPem?: string;
  /** Binds with `adminPassword`; searches capped at `sizeLimit`. */
  limitedDn: string;
  /** Binds with `adminPassword`; subject to ACLs (the root DN is not), may write everything the `acls` allow. */
  serviceDn: string;
  peopleDn: string;
  groupsDn: string;
  client(): Promise<Client>;
  /** Starts the same database again with other ACLs or overlays (the suffix, TLS and size limit stay). */
  restart(options?: Pick<SlapdOptions, 'acls' | 'overlays'>): Promise<void>;
  /** A second server on a copy of this one's database (same suffix and admin password): a fresh start from a prepared state. */
  clone(): Promise<Slapd>;
  /** Stops the server and keeps its database: `start()` runs a new server on a copy of it, as often as needed. */
  park(): Promise<{ start(): Promise<Slapd>; remove(): void }>;
  stop(): Promise<void>;
}
export const SLAPD: string;
export function freePort(): Promise<number>;
export function startSlapd(options?: SlapdOptions): Promise<Slapd>;
