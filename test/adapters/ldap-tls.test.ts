import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLdapDirectory } from '../../src/adapters/ldap/ldap-directory.js';
import { ConfigError } from '../../src/errors.js';
import { SAMPLE_LAYOUT } from '../helpers/reconcile.js';
import { startSlapd } from '../helpers/slapd.mjs';
import type { Slapd } from '../helpers/slapd.mjs';

let slapd: Slapd;
beforeAll(async () => {
  slapd = await startSlapd({ tls: true });
});
afterAll(async () => {
  await slapd?.stop();
});

describe('encrypted connections to slapd', () => {
  it('reads over LDAPS, trusting the CA from AAC_LDAP_CA_FILE', async () => {
    const directory = await openLdapDirectory({
      url: slapd.ldapsUrl!,
      bindDn: slapd.adminDn,
      bindPassword: slapd.adminPassword,
      layout: SAMPLE_LAYOUT,
      ca: slapd.caPem!,
    });
    expect(await directory.read()).toEqual({ accounts: [], groups: [] });
    await directory.close();
  });

  it('reads after StartTLS on an ldap:// URL', async () => {
    const directory = await openLdapDirectory({
      url: slapd.url,
      bindDn: slapd.adminDn,
      bindPassword: slapd.adminPassword,
      layout: SAMPLE_LAYOUT,
      ca: slapd.caPem!,
      startTls: true,
    });
    expect(await directory.read()).toEqual({ accounts: [], groups: [] });
    await directory.close();
  });

  it('refuses a server whose certificate it cannot verify, before sending the password', async () => {
    const error = await openLdapDirectory({
      url: slapd.ldapsUrl!,
      bindDn: slapd.adminDn,
      bindPassword: slapd.adminPassword,
      layout: SAMPLE_LAYOUT,
    }).catch((e: unknown) => e);
    // A configuration error naming the setting that fixes it, not a per-run failure.
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/AAC_LDAP_CA_FILE/);
  });
});
