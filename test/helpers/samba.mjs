// A throw-away Samba 4 Active Directory domain for tests and benchmarks (see TOOLCHAIN.md): the
// domain is provisioned once per run into a temp folder (about 7-15 s), then each suite runs its
// own copy on a loopback address of its own (127.0.0.x: AD's LDAP ports are fixed), started in
// the foreground with only the ldap service and stopped with SIGTERM. Nothing is written outside
// the temp folders. Plain JavaScript so that bench/ scripts can use it too.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';

export const REALM = 'EXAMPLE.ORG';
export const DOMAIN_DN = 'DC=example,DC=org';
export const ADMIN_PASSWORD = 'Adm1n-Passw0rd-aac!';
const SAMBA_TOOL = '/usr/bin/samba-tool';
const SAMBA = '/usr/sbin/samba';

/** Whether the Samba AD packages are installed (samba, samba-dsdb-modules, samba-vfs-modules, samba-ad-provision). */
export function sambaInstalled() {
  return existsSync(SAMBA_TOOL) && existsSync(SAMBA);
}

/**
 * Provisions the template domain into `root/template` once: the first caller provisions (under a
 * lock directory, so parallel suites wait instead of provisioning twice), the others wait for it.
 * Returns the template folder and the seconds provisioning took (0 when it was already there).
 */
export async function provisionTemplate(root) {
  const template = join(root, 'template');
  const ready = join(root, 'ready');
  const lock = join(root, 'lock');
  for (;;) {
    if (existsSync(ready)) return { template, seconds: 0 };
    try {
      mkdirSync(lock);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  if (!sambaInstalled())
    throw new Error(
      'Samba AD is not installed: apt-get install samba samba-dsdb-modules samba-vfs-modules samba-ad-provision (.ci/run does)',
    );
  const started = process.hrtime.bigint();
  rmSync(template, { recursive: true, force: true });
  mkdirSync(join(template, 'etc'), { recursive: true });
  writeFileSync(join(template, 'etc', 'smb.conf'), '');
  const options = [
    'netbios name=DC1',
    'interfaces=127.0.0.1/8',
    'bind interfaces only=yes',
    'server services=ldap',
    `log file=${template}/log.%m`,
    `pid directory=${template}/pid`,
    `ncalrpc dir=${template}/ncalrpc`,
    `winbindd socket directory=${template}/winbindd`,
    `ntp signd socket directory=${template}/ntp`,
    'ldb:nosync=true',
  ];
  try {
    // Debian's python3: samba-tool needs the samba bindings (a pyenv python3 on PATH lacks them).
    execFileSync(
      '/usr/bin/python3',
      [
        SAMBA_TOOL,
        'domain',
        'provision',
        `--configfile=${template}/etc/smb.conf`,
        `--targetdir=${template}`,
        `--realm=${REALM}`,
        '--domain=EXAMPLE',
        '--host-name=dc1',
        '--server-role=dc',
        '--dns-backend=NONE',
        `--adminpass=${ADMIN_PASSWORD}`,
        ...options.map((o) => `--option=${o}`),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    rmSync(lock, { recursive: true, force: true });
    throw new Error(`samba-tool domain provision failed: ${String(error.stderr ?? error).slice(-2000)}`);
  }
  writeFileSync(ready, template);
  return { template, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Whether `port` is free on `address` (listen on it, then close). */
function portFree(address, port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, address, () => server.close(() => resolve(true)));
  });
}

/** A loopback address whose AD ports are free (another suite, or another engineer's, may hold one). */
async function freeLoopback() {
  for (let i = 0; i < 200; i++) {
    const address = `127.0.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 2}`;
    const free = await Promise.all([389, 636, 3268, 3269].map((p) => portFree(address, p)));
    if (free.every(Boolean)) return address;
  }
  throw new Error('no loopback address with ports 389, 636, 3268 and 3269 free');
}

/** A CA and a server certificate with an IP subjectAltName (Node refuses Samba's own for an IP). */
function makeCertificates(dir, address) {
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
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tls.key', '-out', 'tls.csr', '-subj', `/CN=${address}`);
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=IP:${address}\n`);
  run(
    'x509',
    '-req',
    '-in',
    'tls.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'tls.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
  execFileSync('chmod', ['600', join(dir, 'tls.key')]);
  return readFileSync(join(dir, 'ca.pem'), 'utf8');
}

/**
 * Starts a domain controller from the provisioned template (`root` as given by the global setup,
 * `process.env.AAC_TEST_SAMBA_ROOT`), on a free loopback address, LDAPS with a CA of its own.
 * Returns its LDAPS URL, CA, the administrator's bind, and `stop()`. Throws when Samba cannot
 * start: the suites that need it fail, they never skip.
 */
export async function startSamba({ root = process.env.AAC_TEST_SAMBA_ROOT } = {}) {
  if (!root)
    throw new Error(
      'AAC_TEST_SAMBA_ROOT is not set: run the suites through vitest (test/helpers/samba-global-setup.ts)',
    );
  const { template, seconds: provisionSeconds } = await provisionTemplate(root);
  const address = await freeLoopback();
  const dir = mkdtempSync(join(tmpdir(), 'aac-samba-'));
  const started = process.hrtime.bigint();
  // cp -a keeps the sysvol ACL xattrs the provisioning set.
  execFileSync('cp', ['-a', `${template}/.`, dir]);
  const caPem = makeCertificates(dir, address);
  const conf = readFileSync(join(dir, 'etc', 'smb.conf'), 'utf8')
    .split(template)
    .join(dir)
    .replace(/interfaces = .*/, `interfaces = ${address}/8`)
    .replace(
      '[global]',
      `[global]\n\ttls enabled = yes\n\ttls keyfile = ${dir}/tls.key\n\ttls certfile = ${dir}/tls.pem\n\ttls cafile = ${dir}/ca.pem`,
    );
  writeFileSync(join(dir, 'etc', 'smb.conf'), conf);
  rmSync(join(dir, 'pid'), { recursive: true, force: true });
  const child = spawn(SAMBA, ['-s', join(dir, 'etc', 'smb.conf'), '-i', '-M', 'single'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `ldaps://${address}`;
  const bindDn = `Administrator@${REALM.toLowerCase()}`;
  let ready = false;
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    const client = new Client({ url, connectTimeout: 1000, tlsOptions: { ca: caPem } });
    try {
      await client.bind(bindDn, ADMIN_PASSWORD);
      ready = true;
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.unbind().catch(() => {});
    }
  }
  if (!ready) {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`samba did not start on ${address}: ${stderr.slice(-2000)}`);
  }
  const startSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    url,
    address,
    caPem,
    bindDn,
    adminPassword: ADMIN_PASSWORD,
    domainDn: DOMAIN_DN,
    dir,
    /** Seconds: provisioning the template (0 if another suite did), and copying and starting this one. */
    timings: { provisionSeconds, startSeconds },
    /** A bound administrator client; the caller unbinds it. */
    async client() {
      const c = new Client({ url, tlsOptions: { ca: caPem } });
      await c.bind(bindDn, ADMIN_PASSWORD);
      return c;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
