import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, readAppSettings } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'aac-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BASE = { AAC_LDAP_URL: 'ldaps://ldap.example.org:636', AAC_LDAP_BIND_DN: 'cn=aac,dc=example,dc=org' };

describe('loadConfig', () => {
  it('means "no directory" and "no mail" when nothing is set', () => {
    expect(loadConfig({})).toEqual({});
  });

  it('reads the LDAP settings, the bind password from a file, the CA and the base DN override', () => {
    writeFileSync(join(dir, 'password'), 'S3cret-From-File\n');
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
    const config = loadConfig({
      ...BASE,
      AAC_LDAP_BIND_PASSWORD_FILE: join(dir, 'password'),
      AAC_LDAP_CA_FILE: join(dir, 'ca.pem'),
      AAC_LDAP_BASE_DN: 'dc=staging,dc=example,dc=org',
    });
    expect(config.ldap).toEqual({
      ...{ url: BASE.AAC_LDAP_URL, bindDn: BASE.AAC_LDAP_BIND_DN },
      bindPassword: 'S3cret-From-File',
      ca: '-----BEGIN CERTIFICATE-----\n',
      baseDn: 'dc=staging,dc=example,dc=org',
      startTls: false,
    });
  });

  it('reads SMTP settings', () => {
    expect(
      loadConfig({ AAC_SMTP_URL: 'smtp://127.0.0.1:2525', AAC_SMTP_HANDOVER_FALLBACK: 'desk@example.org' }).smtp,
    ).toEqual({ url: 'smtp://127.0.0.1:2525', from: 'aac@localhost', handoverFallback: 'desk@example.org' });
  });

  it.each([
    [{ AAC_LDAP_URL: 'http://x' }],
    [{ AAC_LDAP_URL: 'ldap://x:389' }],
    [{ ...BASE }],
    [{ ...BASE, AAC_LDAP_BIND_PASSWORD: 'Top-Secret-1', AAC_LDAP_BIND_PASSWORD_FILE: '/nonexistent' }],
    [{ ...BASE, AAC_LDAP_BIND_PASSWORD_FILE: '/nonexistent/Top-Secret-1' }],
    [{ ...BASE, AAC_LDAP_BIND_PASSWORD: 'Top-Secret-1', AAC_LDAP_STARTTLS: 'true' }],
    [{ AAC_SMTP_URL: 'mail.example.org' }],
  ])('refuses incomplete or contradictory settings %#, without echoing secrets', (env) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('Top-Secret-1');
  });
});

describe('readAppSettings: AAC_APP_CACHE_MB', () => {
  const base = { APP_ID: '1', WEBHOOK_SECRET: 's', PRIVATE_KEY: 'k' };
  it('bounds the memory of files kept between events: 128 MiB unless set, a ConfigError when not a number', () => {
    expect(readAppSettings(base).cacheMb).toBe(128);
    expect(readAppSettings({ ...base, AAC_APP_CACHE_MB: '32' }).cacheMb).toBe(32);
    expect(() => readAppSettings({ ...base, AAC_APP_CACHE_MB: 'lots' })).toThrow(/AAC_APP_CACHE_MB/);
    expect(() => readAppSettings({ ...base, AAC_APP_CACHE_MB: '-1' })).toThrow(/AAC_APP_CACHE_MB/);
  });
});
