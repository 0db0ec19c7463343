import type { Socket } from 'node:net';

/**
 * Makes requests sent in the same tick leave in one write: with many operations in flight, one
 * system call per request was a large part of an apply's own CPU time, which on a small machine
 * is taken from the directory server. Used through ldapts' `createConnection` hooks.
 */
export function coalesceWrites<T extends Socket>(socket: T): T {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  socket.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    return write(...args);
  }) as T['write'];
  return socket;
}
