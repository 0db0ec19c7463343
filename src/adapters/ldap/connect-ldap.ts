import { Client, ResultCodeError, StrongAuthRequiredError } from 'ldapts';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError, DirectoryError } from '../../errors.js';
import type { DirectoryErrorCode } from '../../errors.js';
import { coalesceWrites } from './coalesce-writes.js';
import { describeError } from './describe-error.js';

/** Default time to connect, start TLS and bind, in milliseconds (`AAC_LDAP_CONNECT_TIMEOUT` is in seconds). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Default time one LDAP operation may take, in milliseconds (`AAC_LDAP_TIMEOUT` is in seconds). */
export const DEFAULT_OPERATION_TIMEOUT_MS = 30_000;

export interface LdapConnectionOptions {
  /** `ldap://host:port` or `ldaps://host:port`. */
  url: string;
  bindDn: string;
  /** Never logged, never part of an error message. */
  bindPassword: string;
  /** PEM CA certificates to trust for LDAPS or StartTLS. */
  ca?: string;
  /** Upgrade an `ldap://` connection with StartTLS before binding. */
  startTls?: boolean;
  /** Milliseconds for the whole of connect, TLS and bind (default 10 000). */
  connectTimeoutMs?: number;
  /** Milliseconds one operation may take before it fails (default 30 000). */
  timeoutMs?: number;
}

// Node's codes for a certificate it cannot trust: the fix is AAC_LDAP_CA_FILE (or the server's certificate).
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Connects, optionally upgrades with StartTLS, and binds, within `connectTimeoutMs` in all. A
 * misconfiguration (StartTLS refused, a TLS handshake that a plain port cannot complete, a
 * certificate that cannot be verified, a server demanding encryption) is a `ConfigError` naming
 * the setting; an unreachable server is `connect-failed` and a refused password `bind-failed`.
 * On any failure the socket is closed, so a failed attempt never keeps the process alive.
 */
export async function connectLdap(options: LdapConnectionOptions): Promise<Client> {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const ldaps = options.url.toLowerCase().startsWith('ldaps:');
  const tlsOptions: ConnectionOptions = options.ca ? { ca: options.ca } : {};
  const client = new Client({
    url: options.url,
    timeout: options.timeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
    connectTimeout: connectTimeoutMs,
    // Only for ldaps://: given for an ldap:// URL, ldapts' StartTLS upgrade fails.
    ...(ldaps ? { tlsOptions } : {}),
    createConnection: ((...args: Parameters<typeof netConnect>) =>
      coalesceWrites(netConnect(...args))) as typeof netConnect,
    createSecureConnection: ((...args: Parameters<typeof tlsConnect>) =>
      coalesceWrites(tlsConnect(...args))) as typeof tlsConnect,
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new DirectoryError(
            'connect-failed',
            `${options.url} did not complete connect${options.startTls ? ', StartTLS' : ''} and bind within ${connectTimeoutMs / 1000} s (AAC_LDAP_CONNECT_TIMEOUT)`,
          ),
        ),
      connectTimeoutMs,
    );
  });
  try {
    await Promise.race([establish(client, options, tlsOptions), deadline]);
    return client;
  } catch (error) {
    destroy(client);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function establish(client: Client, options: LdapConnectionOptions, tlsOptions: ConnectionOptions): Promise<void> {
  if (options.startTls) {
    try {
      // Node checks the certificate against `host`, which defaults to localhost when upgrading a socket.
      await client.startTLS({ ...tlsOptions, host: new URL(options.url).hostname });
    } catch (error) {
      if (error instanceof ResultCodeError)
        throw new ConfigError(
          `AAC_LDAP_STARTTLS is true but ${options.url} refused StartTLS (${describeError(error)}): configure TLS on the server, or use an ldaps:// AAC_LDAP_URL`,
          { cause: error },
        );
      throw classifyConnectError(error, options, 'StartTLS');
    }
  }
  try {
    await client.bind(options.bindDn, options.bindPassword);
  } catch (error) {
    if (error instanceof StrongAuthRequiredError)
      throw new ConfigError(
        `${options.url} refuses a simple bind on an unencrypted connection: use an ldaps:// AAC_LDAP_URL or AAC_LDAP_STARTTLS=true`,
        { cause: error },
      );
    if (error instanceof ResultCodeError)
      throw new DirectoryError(
        'bind-failed',
        `cannot bind to ${options.url} as ${options.bindDn}: ${describeError(error)}`,
        { cause: error },
      );
    throw classifyConnectError(error, options, 'bind');
  }
}

/** A socket or TLS failure: a ConfigError when a setting is the likely fix, else `connect-failed`. */
function classifyConnectError(error: unknown, options: LdapConnectionOptions, step: string): Error {
  if (error instanceof DirectoryError || error instanceof ConfigError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && CERTIFICATE_CODES.has(code))
    return new ConfigError(
      `cannot verify the TLS certificate of ${options.url} (${code}): set AAC_LDAP_CA_FILE to the CA that signed it`,
      { cause: error },
    );
  // A TLS client talking to a plain LDAP port: the server closes the connection on the ClientHello.
  if (
    /before secure TLS connection|wrong version number|EPROTO|unknown protocol|packet length too long/i.test(
      `${String(code)} ${message}`,
    )
  )
    return new ConfigError(
      options.startTls
        ? `the TLS handshake with ${options.url} after StartTLS failed (${message}): check the server's TLS settings`
        : `AAC_LDAP_URL ${options.url} did not complete a TLS handshake (${message}): is it an LDAPS port? For a plain LDAP port use ldap:// with AAC_LDAP_STARTTLS=true`,
      { cause: error },
    );
  const directoryCode: DirectoryErrorCode = 'connect-failed';
  return new DirectoryError(directoryCode, `cannot ${step} with ${options.url}: ${describeError(error)}`, {
    cause: error,
  });
}

/** Closes the socket now: an unbind could wait on a server that does not answer. */
export function destroy(client: Client): void {
  const socket = (client as unknown as { socket?: { destroy(): void } }).socket;
  socket?.destroy();
}
