// A private OpenLDAP server for tests and benchmarks: a temp folder, mdb, the ppolicy, memberof
// and refint overlays, a free port on 127.0.0.1, in the foreground (`-d 0`, so the child is the
// server), stopped with SIGTERM. Plain JavaScript so that bench/ scripts can use it too.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

function config(dir, suffix, rootPassword, sizeLimit, tls) {
  // The size limit applies to cn=limited (the root DN is exempt from limits).
  return `${tls ? `TLSCACertificateFile ${dir}/ca.pem\nTLSCertificateFile ${dir}/server.pem\nTLSCertificateKeyFile ${dir}/server.key\n` : ''}include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
moduleload memberof
moduleload refint
pidfile ${dir}/slapd.pid
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
index member,memberOf eq
overlay memberof
memberof-refint TRUE
overlay refint
refint_attributes member
overlay ppolicy
ppolicy_default "cn=default,ou=policies,${suffix}"
ppolicy_use_lockout
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
`;
}

/**
 * Starts slapd and creates the suffix, `ou=people`, `ou=groups` and the default password policy
 * (pwdMustChange, pwdLockout), and `cn=limited,<suffix>` (password: the admin's) whose searches
 * are capped at `sizeLimit` entries when that is given (to test reads that come back short).
 * With `tls`, a throw-away CA signs a certificate for 127.0.0.1 (`caPem`), and slapd also
 * listens on `ldapsUrl` and accepts StartTLS on `url`.
 */
export async function startSlapd({ suffix = 'dc=example,dc=org', sizeLimit, tls = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'aac-slapd-'));
  mkdirSync(join(dir, 'db'));
  const adminPassword = `admin-${Math.random().toString(36).slice(2)}`;
  const caPem = tls ? makeCertificates(dir) : undefined;
  writeFileSync(join(dir, 'slapd.conf'), config(dir, suffix, adminPassword, sizeLimit, tls));
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = tls ? `ldaps://127.0.0.1:${await freePort()}` : undefined;
  const listen = [`${url}/`, ...(ldapsUrl ? [`${ldapsUrl}/`] : [])].join(' ');
  const child = spawn(SLAPD, ['-d', '0', '-h', listen, '-f', join(dir, 'slapd.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const adminDn = `cn=admin,${suffix}`;

  let ready = false;
  for (let i = 0; i < 200 && child.exitCode === null; i++) {
    const client = new Client({ url, connectTimeout: 500 });
    try {
      await client.search('', { scope: 'base', attributes: ['namingContexts'] });
      ready = true;
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    } finally {
      await client.unbind().catch(() => {});
    }
  }
  if (!ready) {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`slapd did not start: ${stderr.slice(0, 2000)}`);
  }

  const admin = new Client({ url });
  await admin.bind(adminDn, adminPassword);
  const rdn = suffix.split(',')[0].split('=');
  await admin.add(suffix, { objectClass: ['dcObject', 'organization'], o: 'Example', [rdn[0]]: rdn[1] });
  for (const ou of ['people', 'groups', 'policies'])
    await admin.add(`ou=${ou},${suffix}`, { objectClass: 'organizationalUnit', ou });
  await admin.add(`cn=limited,${suffix}`, {
    objectClass: ['organizationalRole', 'simpleSecurityObject'],
    cn: 'limited',
    userPassword: adminPassword,
  });
  await admin.add(`cn=default,ou=policies,${suffix}`, {
    objectClass: ['pwdPolicy', 'device'],
    cn: 'default',
    pwdAttribute: 'userPassword',
    pwdMustChange: 'TRUE',
    pwdLockout: 'TRUE',
  });
  await admin.unbind();

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
    peopleDn: `ou=people,${suffix}`,
    groupsDn: `ou=groups,${suffix}`,
    /** A bound admin client; the caller unbinds it. */
    async client() {
      const c = new Client({ url });
      await c.bind(adminDn, adminPassword);
      return c;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
