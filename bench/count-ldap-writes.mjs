// A TCP proxy on 127.0.0.1 that counts the LDAP write requests going through it (add, modify,
// delete, modify DN), by reading the BER framing of each LDAPMessage. For the benchmark's
// "LDAP writes for a one-grant change".
import { connect, createServer } from 'node:net';

const WRITE_OPS = new Map([
  [0x66, 'modify'],
  [0x68, 'add'],
  [0x4a, 'delete'],
  [0x6c, 'modifyDN'],
]);

/** Parses a BER length at `i`; returns [length, bytes used] or undefined when incomplete. */
function berLength(buf, i) {
  if (i >= buf.length) return undefined;
  const first = buf[i];
  if (first < 0x80) return [first, 1];
  const n = first & 0x7f;
  if (i + 1 + n > buf.length) return undefined;
  let len = 0;
  for (let k = 0; k < n; k++) len = len * 256 + buf[i + 1 + k];
  return [len, 1 + n];
}

export async function startWriteCounter(targetPort) {
  const counts = { modify: 0, add: 0, delete: 0, modifyDN: 0 };
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    let pending = Buffer.alloc(0);
    client.on('data', (chunk) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const outer = berLength(pending, 1);
        if (!outer || pending.length < 1 + outer[1] + outer[0]) break;
        // LDAPMessage ::= SEQUENCE { messageID INTEGER, protocolOp CHOICE, ... }
        let i = 1 + outer[1];
        const idLen = berLength(pending, i + 1);
        i += 1 + idLen[1] + idLen[0];
        const op = WRITE_OPS.get(pending[i]);
        if (op) counts[op]++;
        pending = pending.subarray(1 + outer[1] + outer[0]);
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    counts,
    total: () => counts.modify + counts.add + counts.delete + counts.modifyDN,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
