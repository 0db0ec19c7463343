import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';

/** How to reach the LDAP directory. */
export interface LdapConfig {
  /** `AAC_LDAP_URL`: `ldap://host:389` or `ldaps://host:636`. */
  url: string;
  /** `AAC_LDAP_BIND_DN`: the service account aac binds as. */
  bindDn: string;
  /** `AAC_LDAP_BIND_PASSWORD`, or the first line of the file `AAC_LDAP_BIND_PASSWORD_FILE`. Never printed. */
  bindPassword: string;
  /** `AAC_LDAP_BASE_DN`: overrides the policy's `directory.baseDN` (e.g. a staging tree). */
  baseDn?: string;
  /** PEM text of `AAC_LDAP_CA_FILE`: the CA to trust for LDAPS or StartTLS. */
  ca?: string;
  /** `AAC_LDAP_STARTTLS=true`: upgrade an `ldap://` connection before binding. */
  startTls: boolean;
  /** `AAC_LDAP_CONNECT_TIMEOUT` (seconds, default 10): the most connect, TLS and bind may take together, in ms. */
  connectTimeoutMs?: number;
  /** `AAC_LDAP_TIMEOUT` (seconds, default 30): the most one LDAP operation may take, in ms. */
  timeoutMs?: number;
}

/** How to send notifications. */
export interface SmtpConfig {
  /** `AAC_SMTP_URL`, e.g. `smtp://user:pass@mail.example.org:587` or `smtps://...`. */
  url: string;
  /** `AAC_SMTP_FROM`: the sender address (default `aac@localhost`). */
  from: string;
  /** `AAC_SMTP_HANDOVER_FALLBACK`: who hands over the password of someone with no manager or sponsor (e.g. the service desk). */
  handoverFallback?: string;
}

export interface AacConfig {
  ldap?: LdapConfig;
  smtp?: SmtpConfig;
}

/**
 * Reads aac's settings from the environment: the only place that does. Missing LDAP settings
 * mean "no LDAP directory"; half-set ones are a `ConfigError` (whose message names variables,
 * never their secret values).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AacConfig {
  const config: AacConfig = {};
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const url = get('AAC_LDAP_URL');
  if (url !== undefined) {
    if (!/^ldaps?:\/\/[^/\s]+\/?$/i.test(url))
      throw new ConfigError('AAC_LDAP_URL must look like ldap://host:port or ldaps://host:port');
    const bindDn = get('AAC_LDAP_BIND_DN');
    if (bindDn === undefined) throw new ConfigError('AAC_LDAP_URL is set but AAC_LDAP_BIND_DN is not');
    const ldap: LdapConfig = {
      url,
      bindDn,
      bindPassword: readBindPassword(get('AAC_LDAP_BIND_PASSWORD'), get('AAC_LDAP_BIND_PASSWORD_FILE')),
      startTls: isTrue(get('AAC_LDAP_STARTTLS')),
    };
    const baseDn = get('AAC_LDAP_BASE_DN');
    if (baseDn !== undefined) ldap.baseDn = baseDn;
    const connectTimeout = readSeconds(get('AAC_LDAP_CONNECT_TIMEOUT'), 'AAC_LDAP_CONNECT_TIMEOUT');
    if (connectTimeout !== undefined) ldap.connectTimeoutMs = connectTimeout;
    const timeout = readSeconds(get('AAC_LDAP_TIMEOUT'), 'AAC_LDAP_TIMEOUT');
    if (timeout !== undefined) ldap.timeoutMs = timeout;
    const caFile = get('AAC_LDAP_CA_FILE');
    if (caFile !== undefined) ldap.ca = readText(caFile, 'AAC_LDAP_CA_FILE');
    if (ldap.startTls && url.toLowerCase().startsWith('ldaps:'))
      throw new ConfigError('AAC_LDAP_STARTTLS applies to ldap:// URLs; an ldaps:// URL is already encrypted');
    config.ldap = ldap;
  }
  const smtp = get('AAC_SMTP_URL');
  if (smtp !== undefined) {
    if (!/^smtps?:\/\//i.test(smtp)) throw new ConfigError('AAC_SMTP_URL must start with smtp:// or smtps://');
    config.smtp = { url: smtp, from: get('AAC_SMTP_FROM') ?? 'aac@localhost' };
    const fallback = get('AAC_SMTP_HANDOVER_FALLBACK');
    if (fallback !== undefined) config.smtp.handoverFallback = fallback;
  }
  return config;
}

function readBindPassword(value: string | undefined, file: string | undefined): string {
  if (value !== undefined && file !== undefined)
    throw new ConfigError('set AAC_LDAP_BIND_PASSWORD or AAC_LDAP_BIND_PASSWORD_FILE, not both');
  if (value !== undefined) return value;
  if (file === undefined)
    throw new ConfigError('AAC_LDAP_URL is set but neither AAC_LDAP_BIND_PASSWORD nor AAC_LDAP_BIND_PASSWORD_FILE is');
  const password = readText(file, 'AAC_LDAP_BIND_PASSWORD_FILE').split(/\r?\n/)[0] ?? '';
  if (password === '') throw new ConfigError('the file named by AAC_LDAP_BIND_PASSWORD_FILE is empty');
  return password;
}

function readText(path: string, variable: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read the file named by ${variable} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** Seconds (a positive number, at most an hour) as milliseconds. */
function readSeconds(value: string | undefined, variable: string): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || seconds <= 0 || seconds > 3600)
    throw new ConfigError(`${variable} must be a number of seconds between 0 and 3600, not "${value}"`);
  return Math.round(seconds * 1000);
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes)$/i.test(value);
}

/** Settings of the command line, besides the directory and mail ones above. */
export interface CliSettings {
  /** `AAC_NOW`: the time commands judge by (ISO 8601), for reproducible CI runs and tests. */
  now?: string;
  /** `GITHUB_STEP_SUMMARY`: the job summary file GitHub Actions gives a step. */
  stepSummary?: string;
  /** `GNUPGHOME`: the keyring signatures are judged by (default for `--gnupg-home`). */
  gnupgHome?: string;
  /** Colour, as Node decides it: `FORCE_COLOR` (`0` or `false` off, anything else on, even empty), else `NO_COLOR` (non-empty: off), else a terminal whose `TERM` is not `dumb`. */
  color: { force?: boolean; noColor: boolean; dumbTerminal: boolean };
}

export function readCliSettings(env: NodeJS.ProcessEnv = process.env): CliSettings {
  const get = nonEmpty(env);
  const settings: CliSettings = {
    color: { noColor: get('NO_COLOR') !== undefined, dumbTerminal: get('TERM') === 'dumb' },
  };
  const now = get('AAC_NOW');
  if (now !== undefined) settings.now = now;
  const stepSummary = get('GITHUB_STEP_SUMMARY');
  if (stepSummary !== undefined) settings.stepSummary = stepSummary;
  const gnupgHome = get('GNUPGHOME');
  if (gnupgHome !== undefined) settings.gnupgHome = gnupgHome;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) settings.color.force = force !== '0' && force !== 'false';
  return settings;
}

/** Settings of the approval app server (Probot reads its own APP_ID, PRIVATE_KEY... from the same environment). */
export interface AppSettings {
  /** `AAC_ACCESS_DIR` (default `access`). */
  accessDir: string;
  /** `AAC_AUDIT_BRANCH` (default: the writer's own, `access-audit`). */
  auditBranch?: string;
  /** `PORT` (default 3000) and `HOST`. */
  port: number;
  host?: string;
  /** `AAC_APP_CACHE_MB`: the bound on the memory of files kept between events, in MiB (default 128). */
  cacheMb: number;
}

/** Reads the app server's settings; a missing credential Probot needs is a ConfigError naming it. */
export function readAppSettings(env: NodeJS.ProcessEnv = process.env): AppSettings {
  const get = nonEmpty(env);
  for (const name of ['APP_ID', 'WEBHOOK_SECRET'] as const) {
    if (get(name) === undefined)
      throw new ConfigError(`${name} is not set; see app.yml and the README section "The approval app"`);
  }
  if (get('PRIVATE_KEY') === undefined && get('PRIVATE_KEY_PATH') === undefined)
    throw new ConfigError('PRIVATE_KEY or PRIVATE_KEY_PATH is not set');
  const port = Number(get('PORT') ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT must be a port number');
  const host = get('HOST');
  const cacheMb = Number(get('AAC_APP_CACHE_MB') ?? 128);
  if (!Number.isFinite(cacheMb) || cacheMb < 0)
    throw new ConfigError('AAC_APP_CACHE_MB must be a number of MiB (0 keeps nothing between events)');
  return {
    ...readAuditBranch(env),
    accessDir: get('AAC_ACCESS_DIR') ?? 'access',
    port,
    ...(host ? { host } : {}),
    cacheMb,
  };
}

/** `AAC_AUDIT_BRANCH`, where the app and the workflow append. */
export function readAuditBranch(env: NodeJS.ProcessEnv = process.env): { auditBranch?: string } {
  const branch = nonEmpty(env)('AAC_AUDIT_BRANCH');
  return branch === undefined ? {} : { auditBranch: branch };
}

/** What the approval workflow provides, read from its GitHub Actions environment. */
export interface ActionConfig {
  token: string;
  eventName: string;
  eventPath: string;
  /** Delivery id for logs: the run id and attempt. */
  id: string;
  /** GITHUB_API_URL, for GitHub Enterprise Server. */
  baseUrl: string;
  accessDir: string;
  /** A JSON file `{"org/team": [logins]}`: the workflow token cannot read organization teams. */
  teamsFile?: string;
  /** `AAC_AUDIT_BRANCH`. */
  auditBranch?: string;
}

export function readActionConfig(env: NodeJS.ProcessEnv = process.env): ActionConfig {
  const get = nonEmpty(env);
  const need = (name: string): string => {
    const value = get(name);
    if (value === undefined)
      throw new ConfigError(
        `${name} is not set; run this in a GitHub Actions workflow (see .github/workflows/access-approvals.yml)`,
      );
    return value;
  };
  const teamsFile = get('AAC_TEAMS_FILE');
  return {
    token: need('GITHUB_TOKEN'),
    eventName: need('GITHUB_EVENT_NAME'),
    eventPath: need('GITHUB_EVENT_PATH'),
    id: `${get('GITHUB_RUN_ID') ?? 'local'}-${get('GITHUB_RUN_ATTEMPT') ?? '1'}`,
    baseUrl: get('GITHUB_API_URL') ?? 'https://api.github.com',
    accessDir: get('AAC_ACCESS_DIR') ?? 'access',
    ...(teamsFile ? { teamsFile } : {}),
    ...readAuditBranch(env),
  };
}

/** What git child processes inherit: identity, signing and locale, nothing that changes how git behaves. */
const GIT_INHERITED = [
  'PATH',
  'HOME',
  'USER',
  'LANG',
  'TMPDIR',
  'GNUPGHOME',
  'SSH_AUTH_SOCK',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_DATE',
] as const;

/**
 * The fixed, minimal environment git runs with: no pager, no prompts, C locale (so that its
 * messages can be recognised exactly), and only the variables above from `env`.
 */
export function gitProcessEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' };
  for (const key of GIT_INHERITED) if (env[key] !== undefined) out[key] = env[key];
  return out;
}

/** The whole environment of this process, for the few callers that hand it on (Probot, the CLI's io). */
export function processEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}

function nonEmpty(env: NodeJS.ProcessEnv): (name: string) => string | undefined {
  return (name) => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
}
