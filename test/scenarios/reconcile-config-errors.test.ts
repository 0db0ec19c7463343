import { Attribute, Change } from 'ldapts';
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, dumpDirectory } from '../helpers/reconcile-workspace.js';
import type { ReconcileWorkspace } from '../helpers/reconcile-workspace.js';
import { freePort, startSlapd } from '../helpers/slapd.mjs';
import type { Slapd } from '../helpers/slapd.mjs';

// Each misconfiguration must be found before any write, exit 2 with one line naming the setting,
// never print per-entry FAILED lines, and never hang: the test timeouts below are the bound.
let slapd: Slapd;
let work: ReconcileWorkspace;
beforeAll(async () => {
  slapd = await startSlapd();
  work = createWorkspace(slapd, { bindAs: 'service' });
});
afterAll(async () => {
  work?.close();
  await slapd?.stop();
});

/** Runs apply with `env` on top of the workspace's and checks the contract for a configuration error. */
async function expectConfigError(env: NodeJS.ProcessEnv, setting: RegExp, on: Slapd = slapd): Promise<string> {
  const before = await dumpDirectory(on);
  const saved = { ...work.env };
  Object.assign(work.env, env);
  try {
    const run = await work.apply();
    expect(run.stdout).not.toMatch(/FAILED/);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(setting);
    expect(run.code).toBe(2);
    expect(await dumpDirectory(on)).toBe(before);
    expect(work.lastRun().map((r) => r.type)).toEqual(['apply.failed']);
    return run.stderr;
  } finally {
    for (const key of Object.keys(work.env)) delete work.env[key];
    Object.assign(work.env, saved);
  }
}

describe('configuration errors are found before any write, exit 2, one line', () => {
  it('a base DN that does not exist names AAC_LDAP_BASE_DN, or directory.baseDN', async () => {
    await expectConfigError({ AAC_LDAP_BASE_DN: 'dc=elsewhere,dc=org' }, /AAC_LDAP_BASE_DN/);
    const policy = work.read('policy.yaml');
    work.edit('policy.yaml', 'baseDN: dc=example,dc=org', 'baseDN: dc=example,dc=com');
    try {
      await expectConfigError({}, /directory\.baseDN/);
    } finally {
      work.write('policy.yaml', policy);
    }
  });

  it('a managed OU that does not exist names directory.peopleOU / groupsOU', async () => {
    const policy = work.read('policy.yaml');
    try {
      work.edit('policy.yaml', 'peopleOU: ou=people', 'peopleOU: ou=staff');
      await expectConfigError({}, /directory\.peopleOU/);
      work.write('policy.yaml', policy);
      work.edit('policy.yaml', 'groupsOU: ou=groups', 'groupsOU: ou=roles');
      await expectConfigError({}, /directory\.groupsOU/);
    } finally {
      work.write('policy.yaml', policy);
    }
  });

  it('StartTLS against a server without TLS names AAC_LDAP_STARTTLS and leaves no connection open', async () => {
    const proxy = await startCountingProxy(slapd.port);
    try {
      const stderr = await expectConfigError(
        { AAC_LDAP_URL: `ldap://127.0.0.1:${proxy.port}`, AAC_LDAP_STARTTLS: 'true' },
        /AAC_LDAP_STARTTLS/,
      );
      expect(stderr).not.toMatch(/at .*\.js:\d+/);
      // The socket is closed, so the process is free to exit (it used to stay up for minutes).
      await proxy.waitUntilIdle();
      expect(proxy.connections()).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it('LDAPS to a plain LDAP port names AAC_LDAP_URL', async () => {
    await expectConfigError({ AAC_LDAP_URL: `ldaps://127.0.0.1:${slapd.port}` }, /AAC_LDAP_URL ldaps:.*TLS handshake/);
  });

  it('a password policy that does not enforce locks names pwdLockout (and pwdMustChange)', async () => {
    const policyDn = `cn=default,ou=policies,${slapd.suffix}`;
    const set = async (attribute: string, value: string): Promise<void> => {
      const client = await slapd.client();
      await client.modify(
        policyDn,
        new Change({ operation: 'replace', modification: new Attribute({ type: attribute, values: [value] }) }),
      );
      await client.unbind();
    };
    try {
      await set('pwdLockout', 'FALSE');
      await expectConfigError({}, /pwdLockout/);
    } finally {
      await set('pwdLockout', 'TRUE');
    }
    try {
      await set('pwdMustChange', 'FALSE');
      await expectConfigError({}, /pwdMustChange/);
    } finally {
      await set('pwdMustChange', 'TRUE');
    }
    const policy = work.read('policy.yaml');
    try {
      work.edit('policy.yaml', 'groupsOU: ou=groups', 'groupsOU: ou=groups\n  passwordPolicy: cn=strict,ou=policies');
      await expectConfigError({}, /directory\.passwordPolicy/);
    } finally {
      work.write('policy.yaml', policy);
    }
  });

  it('a server that accepts and never answers fails within AAC_LDAP_CONNECT_TIMEOUT', async () => {
    const silent = await startSilentServer();
    try {
      const saved = { ...work.env };
      Object.assign(work.env, { AAC_LDAP_URL: `ldap://127.0.0.1:${silent.port}`, AAC_LDAP_CONNECT_TIMEOUT: '0.5' });
      const run = await work.apply();
      Object.assign(work.env, saved);
      delete work.env['AAC_LDAP_CONNECT_TIMEOUT'];
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/connect-failed.*AAC_LDAP_CONNECT_TIMEOUT/);
    } finally {
      await silent.close();
    }
  }, 10_000);

  it('a timeout that is not a number of seconds is a configuration error', async () => {
    await expectConfigError({ AAC_LDAP_TIMEOUT: 'soon' }, /AAC_LDAP_TIMEOUT/);
  });
});

describe('overlays aac depends on', () => {
  it('without the ppolicy overlay, nothing is written and the line names it', async () => {
    const bare = await startSlapd({ overlays: { ppolicy: false } });
    const space = createWorkspace(bare);
    try {
      const before = await dumpDirectory(bare);
      const run = await space.apply();
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/ppolicy overlay/);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(await dumpDirectory(bare)).toBe(before);
    } finally {
      space.close();
      await bare.stop();
    }
  });

  it('without the memberof overlay, an existing directory is refused before any write', async () => {
    const server = await startSlapd();
    const space = createWorkspace(server);
    try {
      expect((await space.apply()).code).toBe(0);
      // The same database without memberof: a membership made now is not reflected in memberOf.
      await server.restart({ overlays: { memberof: false } });
      const client = await server.client();
      await client.modify(
        `cn=prod-admins,${server.groupsDn}`,
        new Change({
          operation: 'add',
          modification: new Attribute({ type: 'member', values: [`uid=jsmith,${server.peopleDn}`] }),
        }),
      );
      await client.unbind();
      const before = await dumpDirectory(server);
      const run = await space.apply();
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/memberOf/);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(await dumpDirectory(server)).toBe(before);
    } finally {
      space.close();
      await server.stop();
    }
  });
});

/** A TCP proxy to `port` that counts connections and tells when none is open. */
async function startCountingProxy(
  port: number,
): Promise<{ port: number; connections(): number; waitUntilIdle(): Promise<void>; close(): Promise<void> }> {
  const open = new Set<Socket>();
  let total = 0;
  const server = createServer((client) => {
    total++;
    open.add(client);
    const upstream = connect(port, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  const listening = await listen(server);
  return {
    port: listening,
    connections: () => total,
    async waitUntilIdle() {
      while (open.size > 0) await new Promise((r) => setTimeout(r, 10));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A server that accepts connections and never says a word. */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function listen(server: Server): Promise<number> {
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return port;
}
