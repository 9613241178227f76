import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPublicAddress } from './address-guard';
import type { PreviewNetwork } from './safe-fetch';

// The "internet" of the preview tests: HTTP servers on loopback addresses. 127.0.0.2 plays the public
// web (the one address the test network allows besides real public ones); 127.0.0.1 plays a private
// service that must never be reached, and counts every request that does.

export const PUBLIC_IP = '127.0.0.2';

export interface FakeSite {
  port: number;
  /** Requests by path, in order. */
  hits: string[];
  /** Sockets closed by the client before the answer ended. */
  cutShort: number;
  close(): Promise<void>;
}

export async function startSite(address: string, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<FakeSite> {
  const site = { hits: [] as string[], cutShort: 0 };
  const server = http.createServer((req, res) => {
    site.hits.push(req.url ?? '');
    res.on('close', () => {
      if (!res.writableFinished) site.cutShort++;
    });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return {
    get hits() {
      return site.hits;
    },
    get cutShort() {
      return site.cutShort;
    },
    port: (server.address() as AddressInfo).port,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A network where `names` resolve as given (anything else fails), 127.0.0.2 counts as public, and `ports` are allowed. */
export function testNetwork(names: Record<string, string[]>, ports: number[], calls: string[] = []): PreviewNetwork {
  return {
    resolve: async (host) => {
      calls.push(host);
      const found = names[host];
      if (!found) throw new Error(`ENOTFOUND ${host}`);
      return found;
    },
    allowAddress: (address) => address === PUBLIC_IP || isPublicAddress(address),
    ports: new Set([80, 443, ...ports]),
  };
}

export const page = (head: string, body = '') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

/** A 1200×630 PNG's first bytes (signature and IHDR): enough for the sniffer, not a whole image. */
export const PNG_HEAD = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.from([0, 0, 0x04, 0xb0, 0, 0, 0x02, 0x76, 8, 6, 0, 0, 0]),
]);
