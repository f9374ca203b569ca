// The listening side: a plain HTTP server and (optionally) an HTTPS one on 127.0.0.1 sharing one
// request handler, with every socket tracked so the simulator can drop connections, go down
// and come back on the same ports, and shut down without leaving anything behind.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Pki } from './tls';

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface Endpoint {
  server: http.Server;
  port: number;
}

export class Listeners {
  private readonly endpoints: Endpoint[] = [];
  private readonly sockets = new Set<Socket>();
  private downTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(handler: Listener, pki?: Pki) {
    const servers: http.Server[] = [http.createServer(handler)];
    if (pki) servers.push(https.createServer({ key: pki.keyPem, cert: pki.certPem }, handler));
    for (const server of servers) {
      // Long watches and log follows: no request timeout of Node's own.
      server.requestTimeout = 0;
      server.headersTimeout = 60_000;
      server.on('connection', (s: Socket) => {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
      });
      this.endpoints.push({ server, port: 0 });
    }
  }

  async listen(ports: number[]): Promise<number[]> {
    await Promise.all(this.endpoints.map((e, i) => listenOn(e.server, ports[i] ?? 0).then((p) => (e.port = p))));
    return this.endpoints.map((e) => e.port);
  }

  private destroyConnections(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Stops accepting, destroys every connection, and listens again on the same ports after `ms`. */
  async down(ms: number): Promise<void> {
    if (this.closed) return;
    await Promise.all(this.endpoints.map((e) => closeServer(e.server, () => this.destroyConnections())));
    await new Promise<void>((resolve) => {
      this.downTimer = setTimeout(resolve, ms);
    });
    this.downTimer = undefined;
    if (this.closed) return;
    await Promise.all(this.endpoints.map((e) => listenOn(e.server, e.port)));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.downTimer) clearTimeout(this.downTimer);
    await Promise.all(this.endpoints.map((e) => closeServer(e.server, () => this.destroyConnections())));
  }
}

function listenOn(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

function closeServer(server: http.Server, destroy: () => void): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    destroy();
  });
}
