// A private OpenLDAP server for tests and benchmarks: a temp folder, mdb, the ppolicy, memberof
// and refint overlays, a free port on 127.0.0.1, in the foreground (`-d 0`, so the child is the
// server), stopped with SIGTERM. Plain JavaScript so that bench/ scripts can use it too.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';

export const SLAPD = process.env.AAC_TEST_SLAPD ?? '/usr/sbin/slapd';

/** A free TCP port on 127.0.0.1 (listen on port 0, read it, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A throw-away CA and a server certificate for 127.0.0.1, made with the openssl command. */
function makeCertificates(dir) {
  const run = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=aac test CA',
  );
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
  return readFileSync(join(dir, 'ca.pem'), 'utf8');
}

function config(dir, suffix, rootPassword, { sizeLimit, tls, acls = [], overlays = {} }) {
  const on = { ppolicy: true, memberof: true, refint: true, ...overlays };
  const service = `cn=aac,${suffix}`;
  // The size limit applies to cn=limited (the root DN is exempt from limits, and from ACLs).
  return `${tls ? `TLSCACertificateFile ${dir}/ca.pem\nTLSCertificateFile ${dir}/server.pem\nTLSCertificateKeyFile ${dir}/server.key\n` : ''}include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
${on.ppolicy ? 'moduleload ppolicy\n' : ''}${on.memberof ? 'moduleload memberof\n' : ''}${on.refint ? 'moduleload refint\n' : ''}pidfile ${dir}/slapd.pid
database mdb
suffix "${suffix}"
${sizeLimit ? `limits dn.exact="cn=limited,${suffix}" size=${sizeLimit}\n` : ''}rootdn "cn=admin,${suffix}"
rootpw ${rootPassword}
directory ${dir}/db
maxsize 1073741824
dbnosync
envflags writemap nometasync
index objectClass eq
index uid,cn eq
index ${on.memberof ? 'member,memberOf' : 'member'} eq
${on.memberof ? 'overlay memberof\nmemberof-refint TRUE\n' : ''}${on.refint ? 'overlay refint\nrefint_attributes member\n' : ''}${on.ppolicy ? `overlay ppolicy\nppolicy_default "cn=default,ou=policies,${suffix}"\nppolicy_use_lockout\n` : ''}${acls.map((a) => `${a}\n`).join('')}access to attrs=userPassword by dn.exact="${service}" write by self write by anonymous auth by * none
access to * by dn.exact="${service}" write by * read
`;
}

/** Polls a root-DSE search until slapd answers; false when it exits or does not answer in ~5 s. */
async function waitUntilReady(url, child) {
  for (let i = 0; i < 200 && child.exitCode === null; i++) {
    const client = new Client({ url, connectTimeout: 500 });
    try {
      await client.search('', { scope: 'base', attributes: ['namingContexts'] });
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    } finally {
      await client.unbind().catch(() => {});
    }
  }
  return false;
}

/**
 * Starts slapd and creates the suffix, `ou=people`, `ou=groups` and the default password policy
 * (pwdMustChange, pwdLockout; `policy` adds or overrides attributes, e.g. `{ pwdMaxFailure: '5' }`),
 * `cn=limited,<suffix>` (password: the admin's) whose searches are capped at `sizeLimit` entries
 * when that is given (to test reads that come back short), and `cn=aac,<suffix>` (password: the
 * admin's), a service account that, unlike the root DN, is subject to ACLs: it may write
 * everything except what the `acls` lines (slapd.conf `access to ...`, placed before the default
 * ones) take away. `overlays: { ppolicy, memberof, refint }` turn overlays off (all on by default).
 * With `tls`, a throw-away CA signs a certificate for 127.0.0.1 (`caPem`), and slapd also
 * listens on `ldapsUrl` and accepts StartTLS on `url`. `restart(options)` starts the same
 * database again with other `acls` or `overlays`.
 */
export async function startSlapd({
  suffix = 'dc=example,dc=org',
  sizeLimit,
  tls = false,
  acls,
  overlays,
  policy,
  seed,
} = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'aac-slapd-'));
  if (seed) cpSync(seed.db, join(dir, 'db'), { recursive: true });
  else mkdirSync(join(dir, 'db'));
  const adminPassword = seed?.adminPassword ?? `admin-${Math.random().toString(36).slice(2)}`;
  const caPem = tls ? makeCertificates(dir) : undefined;
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = tls ? `ldaps://127.0.0.1:${await freePort()}` : undefined;
  const listen = [`${url}/`, ...(ldapsUrl ? [`${ldapsUrl}/`] : [])].join(' ');
  const adminDn = `cn=admin,${suffix}`;
  let child;
  let exited;
  const launch = async (options) => {
    writeFileSync(join(dir, 'slapd.conf'), config(dir, suffix, adminPassword, { sizeLimit, tls, ...options }));
    child = spawn(SLAPD, ['-d', '0', '-h', listen, '-f', join(dir, 'slapd.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    exited = new Promise((resolve) => child.once('exit', resolve));
    if (!(await waitUntilReady(url, child))) {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`slapd did not start: ${stderr.slice(0, 2000)}`);
    }
  };
  let current = { acls, overlays };
  await launch(current);
  if (!seed) await populate(url, suffix, adminDn, adminPassword, overlays, policy);

  return {
    url,
    port,
    suffix,
    adminDn,
    adminPassword,
    dir,
    ldapsUrl,
    caPem,
    limitedDn: `cn=limited,${suffix}`,
    serviceDn: `cn=aac,${suffix}`,
    peopleDn: `ou=people,${suffix}`,
    groupsDn: `ou=groups,${suffix}`,
    /** A bound admin client; the caller unbinds it. */
    async client() {
      const c = new Client({ url });
      await c.bind(adminDn, adminPassword);
      return c;
    },
    async restart(options = {}) {
      child.kill('SIGTERM');
      await exited;
      current = options;
      await launch(current);
    },
    async clone() {
      // mdb files are copied while no server holds them.
      child.kill('SIGTERM');
      await exited;
      const copy = await startSlapd({
        suffix,
        sizeLimit,
        tls,
        ...current,
        seed: { db: join(dir, 'db'), adminPassword },
      });
      await launch(current);
      return copy;
    },
    async park() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      return {
        seed: { db: join(dir, 'db'), adminPassword },
        start: () => startSlapd({ suffix, sizeLimit, tls, ...current, seed: { db: join(dir, 'db'), adminPassword } }),
        remove: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function populate(url, suffix, adminDn, adminPassword, overlays, policy) {
  const admin = new Client({ url });
  await admin.bind(adminDn, adminPassword);
  const rdn = suffix.split(',')[0].split('=');
  await admin.add(suffix, { objectClass: ['dcObject', 'organization'], o: 'Example', [rdn[0]]: rdn[1] });
  for (const ou of ['people', 'groups', 'policies'])
    await admin.add(`ou=${ou},${suffix}`, { objectClass: 'organizationalUnit', ou });
  for (const cn of ['limited', 'aac'])
    await admin.add(`cn=${cn},${suffix}`, {
      objectClass: ['organizationalRole', 'simpleSecurityObject'],
      cn,
      userPassword: adminPassword,
    });
  if (overlays?.ppolicy !== false)
    await admin.add(`cn=default,ou=policies,${suffix}`, {
      objectClass: ['pwdPolicy', 'device'],
      cn: 'default',
      pwdAttribute: 'userPassword',
      pwdMustChange: 'TRUE',
      pwdLockout: 'TRUE',
      ...policy,
    });
  await admin.unbind();
}
