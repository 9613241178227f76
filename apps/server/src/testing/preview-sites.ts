import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPublicAddress } from '@chat/api';

/** The one loopback address besides 127.0.0.1 the preview tests' network counts as public. */
export const PUBLIC_IP = '127.0.0.2';

export interface Site {
  port: number;
  /** Every path asked for, in order. */
  hits: string[];
  close(): Promise<void>;
}

type Answer = (path: string, res: http.ServerResponse) => void;

async function site(address: string, answer: Answer): Promise<Site> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    answer(req.url ?? '', res);
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () => (server.closeAllConnections(), new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}

export interface PreviewSites {
  /** The "internet": news.test, on 127.0.0.2. */
  pages: Site;
  /** A "private" service on 127.0.0.1 (and intranet.test) that counts every request reaching it; none may. */
  intranet: Site;
  /** For the server's `linkPreviews.network`: those two names resolve, 127.0.0.2 counts as public, their ports are allowed. */
  network: { resolve(host: string): Promise<string[]>; allowAddress(address: string): boolean; ports: Set<number> };
  /** The address of `path` on news.test. */
  at(path: string): string;
  close(): Promise<void>;
}

/**
 * The sites the link preview tests fetch from (docs/decisions/138, 141): `pages` answers as news.test and may
 * send a fetch on to `intranet` (a redirect to a private address), which answers as the private service.
 */
export async function startPreviewServer(answers: { pages(path: string, res: http.ServerResponse, intranet: Site): void; intranet: Answer }): Promise<PreviewSites> {
  const intranet = await site('127.0.0.1', answers.intranet);
  const pages = await site(PUBLIC_IP, (path, res) => answers.pages(path, res, intranet));
  return {
    pages,
    intranet,
    network: {
      resolve: async (host: string) => {
        if (host === 'news.test') return [PUBLIC_IP];
        if (host === 'intranet.test') return ['127.0.0.1'];
        throw new Error('ENOTFOUND');
      },
      allowAddress: (address: string) => address === PUBLIC_IP || isPublicAddress(address),
      ports: new Set([80, 443, pages.port, intranet.port]),
    },
    at: (path) => `http://news.test:${pages.port}${path}`,
    close: async () => {
      await pages.close();
      await intranet.close();
    },
  };
}
