import type { Client } from 'ldapts';

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
  peopleDn: string;
  groupsDn: string;
  client(): Promise<Client>;
  stop(): Promise<void>;
}
export const SLAPD: string;
export function freePort(): Promise<number>;
export function startSlapd(options?: { suffix?: string; sizeLimit?: number; tls?: boolean }): Promise<Slapd>;
