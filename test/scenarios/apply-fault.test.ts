import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApply } from '../../src/entrypoints/cli/apply-command.js';
import { DirectoryError } from '../../src/errors.js';
import { MemoryAuditLog } from '../helpers/memory-audit-log.js';
import { SAMPLE_DIR } from '../helpers/sample-tree.js';
import { runCli } from '../helpers/run-cli.js';
import { startSlapd } from '../helpers/slapd.mjs';
import type { Slapd } from '../helpers/slapd.mjs';
import { startCuttingProxy } from '../helpers/tcp-proxy.js';
import type { CuttingProxy } from '../helpers/tcp-proxy.js';

/** Cut runs in this suite; each is followed by a clean run that must converge. */
const ROUNDS = 12;
const FLAGS = ['--no-history', '--now', '2026-11-22T12:00:00Z', '--allow-mass-change'];

let slapd: Slapd;
let proxy: CuttingProxy;
let work: string;

beforeAll(async () => {
  slapd = await startSlapd();
  proxy = await startCuttingProxy(slapd.port);
  work = mkdtempSync(join(tmpdir(), 'aac-fault-'));
  cpSync(SAMPLE_DIR, join(work, 'access'), { recursive: true });
});
afterAll(async () => {
  await proxy?.close();
  await slapd?.stop();
  rmSync(work, { recursive: true, force: true });
});

const sample = (file: string): string => readFileSync(join(SAMPLE_DIR, file), 'utf8');
const NEWCOMERS = ['nacosta', 'nbaker', 'ncho', 'ndiaz', 'nevans', 'nfox'];
const newcomer = (uid: string, status: string): string =>
  `kind: Person\nuid: ${uid}\nname: New ${uid}\nemail: ${uid}@example.org\ntype: employee\nemployeeId: EMP-9${NEWCOMERS.indexOf(uid)}\ndepartment: sales\nmanager: mjohnson\nstatus: ${status}\nattestations: { mfa: true, deviceCompliance: true }\ngrants:\n  - { system: email, role: user, justification: Mailbox. }\n  - { system: crm, role: sales-rep, justification: Accounts. }\n`;

/** Three states the rounds cycle through: the sample; newcomers, a rename, a disable; the newcomers deleted. */
function writeVariant(variant: number): void {
  rmSync(join(work, 'access'), { recursive: true, force: true });
  cpSync(SAMPLE_DIR, join(work, 'access'), { recursive: true });
  if (variant === 0) return;
  for (const uid of NEWCOMERS)
    writeFileSync(join(work, `access/people/${uid}.yaml`), newcomer(uid, variant === 1 ? 'active' : 'deleted'));
  rmSync(join(work, 'access/people/jsmith.yaml'));
  writeFileSync(
    join(work, 'access/people/jsmith.b.yaml'),
    sample('people/jsmith.yaml').replace('uid: jsmith', 'uid: jsmith.b'),
  );
  writeFileSync(
    join(work, 'access/people/tnguyen.yaml'),
    sample('people/tnguyen.yaml').replace('status: active', 'status: disabled'),
  );
}

const envFor = (port: number): NodeJS.ProcessEnv => ({
  AAC_LDAP_URL: `ldap://127.0.0.1:${port}`,
  AAC_LDAP_BIND_DN: slapd.adminDn,
  AAC_LDAP_BIND_PASSWORD: slapd.adminPassword,
});

async function apply(port: number): Promise<number | DirectoryError> {
  const sink = () => undefined;
  try {
    return await runApply(
      FLAGS,
      { stdout: sink, stderr: sink, isTTY: false, cwd: work, env: envFor(port) },
      { auditLog: new MemoryAuditLog(), notifier: null },
    );
  } catch (error) {
    if (error instanceof DirectoryError) return error;
    throw error;
  }
}

/** Accounts by uid, mail and employeeNumber, and every group's members: for duplicate checks. */
async function census(): Promise<{
  uids: string[];
  mails: string[];
  employeeNumbers: string[];
  members: Record<string, string[]>;
}> {
  const client = await slapd.client();
  try {
    const people = (
      await client.search(slapd.peopleDn, { scope: 'one', attributes: ['uid', 'mail', 'employeeNumber'] })
    ).searchEntries;
    const groups = (await client.search(slapd.groupsDn, { scope: 'one', attributes: ['cn', 'member'] })).searchEntries;
    const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
    return {
      uids: people.flatMap((e) => list(e['uid'])),
      mails: people.flatMap((e) => list(e['mail'])),
      employeeNumbers: people.flatMap((e) => list(e['employeeNumber'])),
      members: Object.fromEntries(groups.map((g) => [String(g['cn']), list(g['member'])])),
    };
  } finally {
    await client.unbind();
  }
}

const unique = (xs: string[]): boolean => new Set(xs.map((x) => x.toLowerCase())).size === xs.length;

describe('apply through a connection that is cut', () => {
  it(`converges after each of ${ROUNDS} cuts at random points, with no duplicate or missing entry or membership`, async () => {
    // A fixed seed: the rounds are random in where they cut, the same on every machine.
    let seed = 20261122;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

    // Calibrate: the bytes a client sends in each uncut transition (variant 2 -> 0 -> 1 -> 2 ...).
    proxy.cutAfter(undefined);
    writeVariant(1);
    expect(await apply(proxy.port)).toBe(0);
    const size: number[] = [];
    for (const variant of [2, 0, 1]) {
      writeVariant(variant);
      expect(await apply(proxy.port)).toBe(0);
      size[variant] = proxy.forwarded();
    }

    let cutRuns = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const variant = (round + 2) % 3; // 2, 0, 1, 2, ...: each round starts where the calibration did
      writeVariant(variant);
      proxy.cutAfter(Math.floor(random() * size[variant]!));
      const cutsBefore = proxy.cuts();
      await apply(proxy.port);
      if (proxy.cuts() > cutsBefore) cutRuns++;
      proxy.cutAfter(undefined);

      expect(await apply(slapd.port)).toBe(0);
      const plan = await runCli(['plan', ...FLAGS.slice(0, 3), '--exit-code'], { cwd: work, env: envFor(slapd.port) });
      expect({ round, code: plan.code, out: plan.code === 0 ? '' : plan.stdout }).toEqual({ round, code: 0, out: '' });
      const now = await census();
      expect(unique(now.uids) && unique(now.mails) && unique(now.employeeNumbers)).toBe(true);
      for (const members of Object.values(now.members)) expect(unique(members)).toBe(true);
      const reps = now.members['crm-sales-reps']!.map((dn) => dn.split(',')[0]).sort();
      expect(reps).toEqual(
        variant === 1
          ? ['uid=jsmith.b', ...NEWCOMERS.map((u) => `uid=${u}`)]
          : variant === 2
            ? ['uid=jsmith.b']
            : ['uid=jsmith'],
      );
    }
    // Nearly every round was really cut (a point in the last bytes of a run may fall past its end).
    expect(cutRuns).toBeGreaterThanOrEqual(ROUNDS - 3);
  }, 120_000);
});
