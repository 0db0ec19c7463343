// Benchmark: aac plan and aac apply against a real slapd, on 10,000 people, 100 groups and
// 50,000 memberships, each divided by a floor measured in the same run: reading and parsing the
// files, then letting the directory's own tool do the work (ldapadd of the same entries into the
// same kind of fresh slapd; ldapsearch of the same entries). Also counts the LDAP writes of a
// one-grant change, and the embedded file directory's initial apply divided by aac validate of the
// same tree. Usage: npm run bench:reconcile [-- people]   (needs slapd and ldap-utils)
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOrg } from './generate-org.mjs';
import { startWriteCounter } from './count-ldap-writes.mjs';
import { startSlapd } from '../test/helpers/slapd.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const aac = join(here, '..', 'bin', 'aac.js');
const people = Number(process.argv[2] ?? 10_000);
const runs = 3;
const NOW = ['--no-history', '--now', '2026-11-22T12:00:00Z'];
// The attributes aac reads (OpenLDAP dialect), so the search floor returns the same data.
const ACCOUNT_ATTRIBUTES = [
  'entryUUID',
  'uid',
  'cn',
  'sn',
  'givenName',
  'mail',
  'title',
  'departmentNumber',
  'employeeNumber',
  'employeeType',
  'pwdAccountLockedTime',
  'pwdReset',
  'pwdChangedTime',
  'createTimestamp',
];

const dir = mkdtempSync(join(tmpdir(), 'aac-bench-reconcile-'));
// Every server started, so that a failure half way still stops them all.
const servers = [];
const slapd = async () => {
  const server = await startSlapd();
  servers.push(server);
  return server;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (command, args, options = {}) => {
  const started = process.hrtime.bigint();
  const child = spawnSync(command, args, { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20, ...options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0 && !options.allowFailure)
    throw new Error(
      `${command} ${args.join(' ')} failed (${child.status}):\n${(child.stderr || child.stdout).slice(0, 3000)}`,
    );
  return { ms, child };
};
const env = (slapd, port = slapd.port) => ({
  ...process.env,
  AAC_LDAP_URL: `ldap://127.0.0.1:${port}`,
  AAC_LDAP_BIND_DN: slapd.adminDn,
  AAC_LDAP_BIND_PASSWORD: slapd.adminPassword,
});
const ldapArgs = (slapd) => ['-x', '-H', slapd.url, '-D', slapd.adminDn, '-w', slapd.adminPassword];
const parseOnly = () => time(process.execPath, [join(here, 'parse-only.mjs'), join(dir, 'access')]).ms;
const apply = (slapd, port) =>
  time(process.execPath, [aac, 'apply', ...NOW, '--audit-log', 'file:audit.jsonl'], { env: env(slapd, port) });
const plan = (slapd, extra = []) =>
  time(process.execPath, [aac, 'plan', ...NOW, ...extra], { env: env(slapd), allowFailure: true });

/** The managed entries of a reconciled slapd as LDIF that ldapadd can load into an empty one. */
function exportLdif(slapd) {
  let ldif = '';
  for (const [base, attrs] of [
    [slapd.peopleDn, ['*', 'pwdReset']],
    [slapd.groupsDn, ['*']],
  ]) {
    const { child } = time('ldapsearch', [
      ...ldapArgs(slapd),
      '-LLL',
      '-o',
      'ldif-wrap=no',
      '-E',
      'pr=1000/noprompt',
      '-b',
      base,
      '-s',
      'one',
      '(objectClass=*)',
      ...attrs,
    ]);
    ldif += child.stdout
      .split('\n')
      .filter((l) => !l.startsWith('# ') && !l.startsWith('control:'))
      .join('\n');
  }
  return ldif;
}

try {
  const org = generateOrg(dir, { people, systems: 20, rolesPerSystem: 5, grantsPerPerson: 5 });
  console.log(`organisation: ${org.people} people, ${org.grants} grants, ${org.systems * 5} groups`);
  const applyMs = [];
  const floorApplyMs = [];
  const parseMs = [];
  const ldapaddMs = [];
  let reconciled;
  for (let i = 0; i < runs; i++) {
    const a = await slapd();
    const run = apply(a);
    applyMs.push(run.ms);
    if (!/Applied \d+ actions: \d+ done, 0 already in place, 0 failed/.test(run.child.stdout))
      throw new Error(`unexpected apply result: ${run.child.stdout.slice(-500)}`);
    const ldif = join(dir, 'floor.ldif');
    writeFileSync(ldif, exportLdif(a));
    const b = await slapd();
    const parse = parseOnly();
    const load = time('ldapadd', [...ldapArgs(b), '-f', ldif]).ms;
    floorApplyMs.push(parse + load);
    parseMs.push(parse);
    ldapaddMs.push(load);
    await b.stop();
    if (reconciled) await a.stop();
    else reconciled = a;
  }
  const entries = readFileSync(join(dir, 'floor.ldif'), 'utf8')
    .split('\n\n')
    .filter((e) => e.trim()).length;

  // Where an apply's time goes: aac validate alone (the same parsing plus the schema and cross-file rules).
  const validateMs = [];
  for (let i = 0; i < runs; i++) validateMs.push(time(process.execPath, [aac, 'validate', 'access', ...NOW]).ms);

  // The embedded file directory (no server): an initial apply of the same tree into an empty file.
  const fileApplyMs = [];
  for (let i = 0; i < runs; i++) {
    rmSync(join(dir, 'file-directory.json'), { force: true });
    const run = time(process.execPath, [
      aac,
      'apply',
      ...NOW,
      '--directory',
      'file:file-directory.json',
      '--audit-log',
      'file:file-audit.jsonl',
    ]);
    if (!/Applied \d+ actions: \d+ done, 0 already in place, 0 failed/.test(run.child.stdout))
      throw new Error(`unexpected file apply result: ${run.child.stdout.slice(-500)}`);
    fileApplyMs.push(run.ms);
  }

  const planMs = [];
  const floorPlanMs = [];
  for (let i = 0; i < runs; i++) {
    const p = plan(reconciled, ['--exit-code']);
    if (p.child.status !== 0)
      throw new Error(`the plan after apply is not empty (exit ${p.child.status}): ${p.child.stdout.slice(0, 1000)}`);
    planMs.push(p.ms);
    const parse = parseOnly();
    const search =
      time('ldapsearch', [
        ...ldapArgs(reconciled),
        '-LLL',
        '-E',
        'pr=500/noprompt',
        '-b',
        reconciled.peopleDn,
        '(objectClass=inetOrgPerson)',
        ...ACCOUNT_ATTRIBUTES,
      ]).ms +
      time('ldapsearch', [
        ...ldapArgs(reconciled),
        '-LLL',
        '-E',
        'pr=500/noprompt',
        '-b',
        reconciled.groupsDn,
        '(objectClass=groupOfNames)',
        'entryUUID',
        'cn',
        'member',
      ]).ms;
    floorPlanMs.push(parse + search);
  }

  // One grant added to one person: one membership, one LDAP modify.
  const file = join(dir, 'access/people/user00042.yaml');
  const text = readFileSync(file, 'utf8');
  const grant = '  - system: sys19\n    role: role1\n    justification: One more grant for the benchmark.\n';
  if (text.includes('system: sys19\n')) throw new Error('pick another system for the one-grant change');
  appendFileSync(file, grant);
  const counter = await startWriteCounter(reconciled.port);
  // Asynchronous: the counting proxy runs in this process and must keep forwarding meanwhile.
  const one = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [aac, 'apply', ...NOW, '--audit-log', 'file:audit.jsonl'], {
      cwd: dir,
      env: env(reconciled, counter.port),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('exit', (status) => resolve({ child: { status, stdout } }));
  });
  await counter.close();
  const after = plan(reconciled, ['--exit-code']);
  await reconciled.stop();

  const ratio = (x, y) => (median(x) / median(y)).toFixed(2);
  console.log(`floor, initial: parse + ldapadd of ${entries} entries:  ${median(floorApplyMs).toFixed(0)} ms`);
  console.log(`aac apply (initial, empty directory):                ${median(applyMs).toFixed(0)} ms`);
  console.log(
    `ratio apply/floor:                                   ${ratio(applyMs, floorApplyMs)}   (aim: <= 1.0; median of ${runs})`,
  );
  console.log(
    `  of which aac validate alone / parse alone:         ${median(validateMs).toFixed(0)} ms / ${median(parseMs).toFixed(0)} ms`,
  );
  console.log(
    `  apply minus validate / ldapadd alone:              ${(median(applyMs) - median(validateMs)).toFixed(0)} ms / ${median(ldapaddMs).toFixed(0)} ms`,
  );
  console.log(`aac apply --directory file: (initial, empty file):  ${median(fileApplyMs).toFixed(0)} ms`);
  console.log(
    `ratio file apply/validate:                           ${ratio(fileApplyMs, validateMs)}   (aim: <= 2; median of ${runs})`,
  );
  console.log(`floor, no change: parse + ldapsearch of the entries: ${median(floorPlanMs).toFixed(0)} ms`);
  console.log(`aac plan (no change):                                ${median(planMs).toFixed(0)} ms`);
  console.log(
    `ratio plan/floor:                                    ${ratio(planMs, floorPlanMs)}   (aim: <= 1.5; median of ${runs})`,
  );
  console.log(
    `LDAP writes for a one-grant change:                  ${counter.total()}   (${JSON.stringify(counter.counts)}; must be 1; plan after: ${after.child.status === 0 ? 'empty' : 'NOT EMPTY'})`,
  );
  if (one.child.status !== 0) console.log(one.child.stdout.slice(-500));
} finally {
  // stop() is idempotent: a server already stopped just resolves.
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
}
