import type { Client } from 'ldapts';

export interface Samba {
  /** `ldaps://127.0.x.y` (its own loopback address). */
  url: string;
  address: string;
  /** The CA that signed the server's certificate (PEM). */
  caPem: string;
  /** `Administrator@example.org`. */
  bindDn: string;
  adminPassword: string;
  /** `DC=example,DC=org`. */
  domainDn: string;
  dir: string;
  timings: { provisionSeconds: number; startSeconds: number };
  client(): Promise<Client>;
  stop(): Promise<void>;
}
export const REALM: string;
export const DOMAIN_DN: string;
export const ADMIN_PASSWORD: string;
export function sambaInstalled(): boolean;
export function provisionTemplate(root: string): Promise<{ template: string; seconds: number }>;
export function startSamba(options?: { root?: string }): Promise<Samba>;
