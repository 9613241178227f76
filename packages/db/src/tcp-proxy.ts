import { connect, createServer, type Socket } from 'node:net';
import { freePort } from './free-port';

export interface TcpProxy {
  port: number;
  /** Connections attempted through it so far, refused ones included. */
  readonly connections: number;
  /** Drops every connection and hangs up on new ones at once, as a database that went away. */
  cut(): void;
  /** Relays new connections again. */
  restore(): void;
  close(): Promise<void>;
}

/** A TCP relay to `target` that a fault test can cut and restore: a real outage, for one client only. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let relaying = true;
  const server = createServer((client) => {
    connections++;
    client.on('error', () => client.destroy());
    if (!relaying) return void client.destroy();
    const upstream = connect(target.port, target.host);
    upstream.on('error', () => upstream.destroy());
    for (const [s, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(s);
      s.on('close', () => {
        sockets.delete(s);
        other.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const cut = () => {
    relaying = false;
    for (const s of sockets) s.destroy();
  };
  return {
    port,
    get connections() {
      return connections;
    },
    cut,
    restore: () => void (relaying = true),
    close: () => {
      cut();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
