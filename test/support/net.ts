/** Loopback ports and servers for tests and benchmarks. */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';

/** A TCP port that was free a moment ago on 127.0.0.1. */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** An app listening on a free loopback port, for a real browser. */
export interface ServedApp {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  close(): Promise<void>;
}

export function serveOnLoopback(app: (req: IncomingMessage, res: ServerResponse) => void): Promise<ServedApp> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ base: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}
