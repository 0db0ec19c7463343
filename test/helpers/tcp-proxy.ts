import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';

export interface CuttingProxy {
  port: number;
  /** Bytes forwarded from clients to the server on the current connection. */
  forwarded: () => number;
  /** Cut every connection once this many client bytes have gone through (undefined: never). */
  cutAfter: (bytes: number | undefined) => void;
  /** How many connections were cut. */
  cuts: () => number;
  close: () => Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 that forwards to `port` and can cut the connection after a number of
 * bytes from the client: a network failure in the middle of a run, at a place the test picks.
 */
export async function startCuttingProxy(port: number): Promise<CuttingProxy> {
  let limit: number | undefined;
  let bytes = 0;
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    bytes = 0;
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    const cut = (): void => {
      cuts += 1;
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (limit !== undefined && bytes + chunk.length > limit) {
        // Forward the part before the cut, so an operation may be cut in the middle.
        const part = Math.max(0, limit - bytes);
        if (part > 0) upstream.write(chunk.subarray(0, part));
        bytes = limit;
        setImmediate(cut);
        return;
      }
      bytes += chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    forwarded: () => bytes,
    cutAfter: (n) => {
      limit = n;
    },
    cuts: () => cuts,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
