import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware } from 'probot';
import type { ApplicationFunction, Probot } from 'probot';

export interface AppServerOptions {
  probot: Probot;
  app: ApplicationFunction;
  /** Interface to listen on. Default `0.0.0.0`; tests use `127.0.0.1`. */
  host?: string;
  /** Port; 0 picks a free one. */
  port: number;
}

export interface RunningServer {
  server: Server;
  /** `http://host:port`. */
  url: string;
  close: () => Promise<void>;
}

/**
 * Serves the app: webhooks on POST /api/github/webhooks (the signature is checked against the
 * webhook secret before anything runs: a bad one gets 400), a health check on GET /healthz,
 * 404 for anything else.
 */
export async function startAppServer(options: AppServerOptions): Promise<RunningServer> {
  const middleware = await createNodeMiddleware(options.app, { probot: options.probot });
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    void Promise.resolve(
      middleware(request, response, () => {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      }),
    ).catch((error: unknown) => {
      options.probot.log.error({ err: error }, 'webhook handling failed');
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const host = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${port}`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
