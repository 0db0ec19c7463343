import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, rmSync as remove, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApply } from '../../src/entrypoints/cli/apply-command.js';
import { runPlan } from '../../src/entrypoints/cli/plan-command.js';
import type { Directory } from '../../src/core/plan/directory.js';
import { DirectoryError } from '../../src/errors.js';
import { MemoryAuditLog } from '../helpers/memory-audit-log.js';
import { SAMPLE_DIR } from '../helpers/sample-tree.js';
import { runCli } from '../helpers/run-cli.js';
import { freePort, startSlapd } from '../helpers/slapd.mjs';
import type { Slapd } from '../helpers/slapd.mjs';

let slapd: Slapd;
let work: string;
let env: NodeJS.ProcessEnv;
const audit = new MemoryAuditLog();
const FLAGS = ['--no-history', '--now', '2026-11-22T12:00:00Z'];

beforeAll(async () => {
  slapd = await startSlapd();
  work = mkdtempSync(join(tmpdir(), 'aac-reconcile-'));
  cpSync(SAMPLE_DIR, join(work, 'access'), { recursive: true });
  env = { AAC_LDAP_URL: slapd.url, AAC_LDAP_BIND_DN: slapd.adminDn, AAC_LDAP_BIND_PASSWORD: slapd.adminPassword };
});
afterAll(async () => {
  await slapd?.stop();
  rmSync(work, { recursive: true, force: true });
});

const io = () => {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (t: string) => (out.stdout += t),
      stderr: (t: string) => (out.stderr += t),
      isTTY: false,
      cwd: work,
      env,
    },
  };
};
const apply = async (...args: string[]) => {
  const { out, io: cli } = io();
  const code = await runApply([...FLAGS, ...args], cli, { auditLog: audit, notifier: null });
  return { code, ...out };
};
const plan = (...args: string[]) => runCli(['plan', ...FLAGS, '--exit-code', ...args], { cwd: work, env });
const edit = (file: string, from: string | RegExp, to: string) => {
  const path = join(work, 'access', file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`no change to ${file}`);
  writeFileSync(path, next);
};
/** Everything under the managed OUs, as sorted text: compared before and after runs that must not write. */
async function dump(): Promise<string> {
  const client = await slapd.client();
  try {
    const { searchEntries } = await client.search(slapd.suffix, {
      scope: 'sub',
      attributes: ['*', 'pwdAccountLockedTime', 'pwdReset'],
    });
    return searchEntries
      .map((e) => JSON.stringify(e))
      .sort()
      .join('\n');
  } finally {
    await client.unbind();
  }
}
async function modifyMembers(group: string, operation: 'add' | 'delete', dn: string): Promise<void> {
  const client = await slapd.client();
  try {
    await client.modify(
      `cn=${group},${slapd.groupsDn}`,
      new Change({ operation, modification: new Attribute({ type: 'member', values: [dn] }) }),
    );
  } finally {
    await client.unbind();
  }
}
const lastEvents = () =>
  audit.records.slice(audit.records.findLastIndex((r) => r.type === 'apply.completed' || r.type === 'apply.failed'));

describe('aac plan and aac apply against slapd (each step: plan -> apply -> plan is empty)', () => {
  it('creation', async () => {
    expect((await plan()).code).toBe(2);
    const run = await apply();
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Applied 32 actions: 32 done/);
    expect((await plan()).code).toBe(0);
    // The people change their temporary passwords (so the 72-hour rule stays out of later steps).
    const client = await slapd.client();
    for (const e of (await client.search(slapd.peopleDn, { scope: 'one', attributes: ['1.1'] })).searchEntries) {
      await client.modify(
        e.dn,
        new Change({ operation: 'delete', modification: new Attribute({ type: 'pwdReset', values: [] }) }),
      );
    }
    await client.unbind();
  });

  it('change', async () => {
    edit('people/jsmith.yaml', 'title: Account Executive', 'title: Senior Account Executive');
    const shown = await plan();
    expect(shown.code).toBe(2);
    expect(shown.stdout).toContain('update account jsmith: title "Account Executive" -> "Senior Account Executive"');
    expect((await apply()).code).toBe(0);
    expect((await plan()).code).toBe(0);
  });

  it('rename', async () => {
    const text = readFileSync(join(work, 'access/people/jsmith.yaml'), 'utf8').replace('uid: jsmith', 'uid: jsmith.b');
    remove(join(work, 'access/people/jsmith.yaml'));
    writeFileSync(join(work, 'access/people/jsmith.b.yaml'), text);
    const shown = await runCli(['plan', ...FLAGS, '--format', 'json'], { cwd: work, env });
    expect(JSON.parse(shown.stdout).actions.map((a: { type: string }) => a.type)).toEqual(['rename-account']);
    expect((await apply()).code).toBe(0);
    expect((await plan()).code).toBe(0);
  });

  it('grant removal', async () => {
    edit('people/pkowalski.yaml', / {2}- system: project-tools[\s\S]*?(?= {2}- system)/, '');
    expect((await apply()).code).toBe(0);
    expect((await plan()).code).toBe(0);
    // aac provisioned that membership (its audit log says so): removing the grant is a revocation, not drift.
    expect(lastEvents().filter((r) => r.type === 'drift.reverted')).toEqual([]);
    expect(
      lastEvents()
        .filter((r) => r.type === 'grant.revoked')
        .map((r) => [r.subject, r.details]),
    ).toEqual([['pkowalski', { system: 'project-tools', role: 'member', group: 'proj-members' }]]);
  });

  it('expiry', async () => {
    const later = ['--now', '2027-04-01T00:00:00Z'];
    const run = await apply(...later);
    expect(run.code).toBe(0);
    expect((await plan(...later)).code).toBe(0);
    expect(
      lastEvents()
        .filter((r) => r.type === 'grant.expired')
        .map((r) => [r.subject, r.details['system']]),
    ).toEqual([
      ['pkowalski', 'email'],
      ['pkowalski', 'production'],
    ]);
    // Back to the test's time: the expired grants stay expired only at the later time, so re-add them.
    expect((await apply()).code).toBe(0);
  });

  it('disable', async () => {
    edit('people/tnguyen.yaml', 'status: active', 'status: disabled');
    expect((await apply()).code).toBe(0);
    expect((await plan()).code).toBe(0);
    expect(
      lastEvents()
        .filter((r) => r.type === 'account.locked')
        .map((r) => r.details),
    ).toMatchObject([{ uid: 'tnguyen', reason: 'disabled', key: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
  });

  it('delete', async () => {
    edit('people/alee.yaml', 'status: active', 'status: deleted');
    expect((await apply()).code).toBe(0);
    expect((await plan()).code).toBe(0);
    const client = await slapd.client();
    expect((await client.search(slapd.peopleDn, { filter: '(uid=alee)' })).searchEntries).toEqual([]);
    await client.unbind();
  });

  it('drift', async () => {
    await modifyMembers('prod-admins', 'add', `uid=jsmith.b,${slapd.peopleDn}`);
    const shown = await plan();
    expect(shown.stdout).toContain('-jsmith.b (drift)');
    expect((await apply()).code).toBe(0);
    expect((await plan()).code).toBe(0);
  });

  it('a group emptied', async () => {
    // jdoe.acme is the only member of crm-partner-portal.
    edit('people/jdoe.acme.yaml', /grants:[\s\S]*$/, 'grants: []\n');
    expect((await apply()).code).toBe(0);
    expect((await plan()).code).toBe(0);
    const client = await slapd.client();
    const group = (
      await client.search(`cn=crm-partner-portal,${slapd.groupsDn}`, { scope: 'base', attributes: ['member'] })
    ).searchEntries[0];
    await client.unbind();
    expect(group?.['member']).toBe(`cn=crm-partner-portal,${slapd.groupsDn}`);
  });

  it('deleting every person file aborts with no write', async () => {
    const before = await dump();
    const saved = join(work, 'people-saved');
    cpSync(join(work, 'access/people'), saved, { recursive: true });
    for (const f of readdirSync(join(work, 'access/people'))) remove(join(work, 'access/people', f));
    const run = await apply();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nothing was applied');
    expect(await dump()).toBe(before);
    expect(lastEvents().map((r) => [r.type, r.type === 'apply.failed' ? r.details.error.code : undefined])).toEqual([
      ['apply.failed', 'invalid-files'],
    ]);
    cpSync(saved, join(work, 'access/people'), { recursive: true });
  });

  it('a mass disable stops at the guards before any write, unless allowed', async () => {
    const before = await dump();
    for (const uid of ['jsmith.b', 'pkowalski', 'sroberts', 'mgonzalez.globex'])
      edit(`people/${uid}.yaml`, 'status: active', 'status: disabled');
    const run = await apply();
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('--allow-mass-change');
    expect(await dump()).toBe(before);
    const guarded = lastEvents()[0]!;
    expect(guarded.type === 'apply.failed' ? guarded.details.error.code : guarded.type).toBe('guard');
    expect((await apply('--allow-mass-change')).code).toBe(0);
    expect((await plan()).code).toBe(0);
  });

  it('a directory read that comes back short aborts with no write', async () => {
    const before = await dump();
    const writes: string[] = [];
    const short: Directory = {
      read: async () => {
        throw new DirectoryError('short-read', 'a page came back short');
      },
      write: async (action) => {
        writes.push(action.type);
        return 'done';
      },
      close: async () => undefined,
    };
    edit('people/mjohnson.yaml', /title: .*/, 'title: Vice President');
    const { out, io: cli } = io();
    const error = await runApply(FLAGS, cli, {
      auditLog: audit,
      notifier: null,
      openDirectory: async () => short,
    }).catch((e: unknown) => e);
    expect((error as DirectoryError).code).toBe('short-read');
    expect(writes).toEqual([]);
    expect(out.stdout).toBe('');
    expect(lastEvents().map((r) => [r.type, r.type === 'apply.failed' ? r.details.error : undefined])).toEqual([
      ['apply.failed', { code: 'short-read', message: 'a page came back short' }],
    ]);
    expect(await dump()).toBe(before);
  });

  it('a directory that cannot be reached aborts with no write', async () => {
    const before = await dump();
    const closed = `ldap://127.0.0.1:${await freePort()}`;
    const run = await runCli(['apply', ...FLAGS, '--audit-log', 'file:audit.jsonl'], {
      cwd: work,
      env: { ...env, AAC_LDAP_URL: closed },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(connect-failed)');
    expect(run.stderr).not.toContain(slapd.adminPassword);
    expect(await dump()).toBe(before);
  });

  it('plan --format markdown goes to the job summary too', async () => {
    const summary = join(work, 'summary.md');
    writeFileSync(summary, '');
    const { out, io: cli } = io();
    cli.env = { ...env, GITHUB_STEP_SUMMARY: summary };
    expect(await runPlan([...FLAGS, '--format', 'markdown'], cli)).toBe(0);
    expect(out.stdout).toContain('### Directory plan');
    expect(readFileSync(summary, 'utf8')).toContain('| ~ | update account mjohnson');
  });
});
