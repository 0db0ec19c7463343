import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { AuditRecord } from '../../src/core/audit/audit-event.js';
import { runCli } from './run-cli.js';
import type { CliRun } from './run-cli.js';
import { SAMPLE_DIR } from './sample-tree.js';
import type { Slapd } from './slapd.mjs';

/** The time reconcile scenarios are judged at (the sample's). */
export const SCENARIO_NOW = '2026-11-22T12:00:00Z';

/**
 * A copy of the sample access tree in a temp folder, reconciled against a directory with the real
 * CLI (`aac plan`, `aac apply`) and a file audit log in the folder, as a deployment outside git
 * would run it. Edits change the files in place.
 */
export interface ReconcileWorkspace {
  dir: string;
  env: NodeJS.ProcessEnv;
  plan(...args: string[]): Promise<CliRun>;
  apply(...args: string[]): Promise<CliRun>;
  /** Replaces `from` (which must occur) in `access/<file>`. */
  edit(file: string, from: string | RegExp, to: string): void;
  read(file: string): string;
  write(file: string, text: string): void;
  remove(file: string): void;
  /** The audit log's records. */
  records(): AuditRecord[];
  /** The records of the last apply run (from its `apply.completed` or `apply.failed`). */
  lastRun(): AuditRecord[];
  close(): void;
}

export interface WorkspaceOptions {
  /** Bind as the root DN (default) or as `cn=aac`, the service account subject to ACLs. */
  bindAs?: 'admin' | 'service';
  env?: NodeJS.ProcessEnv;
  now?: string;
}

export function createWorkspace(
  slapd: Pick<Slapd, 'url' | 'adminDn' | 'serviceDn' | 'adminPassword'>,
  options: WorkspaceOptions = {},
): ReconcileWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'aac-workspace-'));
  cpSync(SAMPLE_DIR, join(dir, 'access'), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    AAC_LDAP_URL: slapd.url,
    AAC_LDAP_BIND_DN: options.bindAs === 'service' ? slapd.serviceDn : slapd.adminDn,
    AAC_LDAP_BIND_PASSWORD: slapd.adminPassword,
    ...options.env,
  };
  const flags = ['--no-history', '--now', options.now ?? SCENARIO_NOW, '--audit-log', 'file:audit.jsonl'];
  const path = (file: string): string => join(dir, 'access', file);
  const records = (): AuditRecord[] => {
    const log = join(dir, 'audit.jsonl');
    if (!existsSync(log)) return [];
    return readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as AuditRecord);
  };
  return {
    dir,
    env,
    plan: (...args) => runCli(['plan', ...flags, ...args], { cwd: dir, env }),
    apply: (...args) => runCli(['apply', ...flags, ...args], { cwd: dir, env }),
    edit(file, from, to) {
      const text = readFileSync(path(file), 'utf8');
      const next = text.replace(from, to);
      if (next === text) throw new Error(`no change to ${file}: ${String(from)} not found`);
      writeFileSync(path(file), next);
    },
    read: (file) => readFileSync(path(file), 'utf8'),
    write(file, text) {
      mkdirSync(dirname(path(file)), { recursive: true });
      writeFileSync(path(file), text);
    },
    remove: (file) => rmSync(path(file)),
    records,
    lastRun() {
      const all = records();
      return all.slice(all.findLastIndex((r) => r.type === 'apply.completed' || r.type === 'apply.failed'));
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Everything under the suffix as sorted text, operational lock attributes included: compared around runs that must not write. */
export async function dumpDirectory(slapd: Slapd): Promise<string> {
  const client = await slapd.client();
  try {
    const { searchEntries } = await client.search(slapd.suffix, {
      scope: 'sub',
      attributes: ['*', 'pwdAccountLockedTime', 'pwdReset', 'memberOf'],
    });
    return searchEntries
      .map((e) => JSON.stringify(e))
      .sort()
      .join('\n');
  } finally {
    await client.unbind();
  }
}
