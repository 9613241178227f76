import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import http from 'node:http';
import { isPublicAddress, type PushNetwork } from '@chat/api';
import type { AddressInfo } from 'node:net';

// A push service on a local address, and a browser's half of a subscription, so the whole Web Push
// path is tested without the internet (docs/decisions/148-web-push.md): the server posts here, and
// the test decrypts what arrived with the keys it subscribed with, as a browser would.

export interface PushDelivery {
  path: string;
  /** What the service answered it. */
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface FakePushService {
  /** The address it listens on (e.g. 127.0.0.2) and its port. */
  host: string;
  port: number;
  /** Every request that got an answer, in order. */
  received: PushDelivery[];
  /** What the next requests to `path` are answered (in order; then 201). A number, or 'hang' to never answer. */
  answer(path: string, ...statuses: (number | 'hang')[]): void;
  close(): Promise<void>;
}

export async function startFakePushService(host = '127.0.0.2'): Promise<FakePushService> {
  const received: PushDelivery[] = [];
  const answers = new Map<string, (number | 'hang')[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const next = answers.get(path)?.shift() ?? 201;
      if (next === 'hang') return;
      received.push({ path, status: next, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(next).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    host,
    port: (server.address() as AddressInfo).port,
    received,
    answer: (path, ...statuses) => answers.set(path, statuses),
    close: () => (server.closeAllConnections(), new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}

/**
 * The server's view of the network in these tests: `push.test` is the fake service (counted as
 * public), other names in `hosts` resolve as given, and plain http on any port is allowed (the
 * default network takes https on 443 alone).
 */
export function fakePushNetwork(push: Pick<FakePushService, 'host'>, hosts: Record<string, string> = {}): PushNetwork {
  return {
    resolve: async (host) => {
      if (host === 'push.test') return [push.host];
      if (hosts[host]) return [hosts[host]];
      throw new Error('ENOTFOUND');
    },
    allowAddress: (address) => address === push.host || isPublicAddress(address),
    allowUrl: (url) => url.protocol === 'http:' || url.protocol === 'https:',
  };
}

/** What PushManager.subscribe() makes in a browser: a P-256 key pair and a 16-byte auth secret. */
export function browserPushKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  const keys = { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') };
  return {
    keys,
    /** RFC 8291: what the browser does with a push's body; throws if it was not encrypted to these keys. */
    decrypt(body: Buffer): string {
      const salt = body.subarray(0, 16);
      const idLength = body.readUInt8(20);
      const serverPublic = body.subarray(21, 21 + idLength);
      const sealed = body.subarray(21 + idLength);
      const secret = ecdh.computeSecret(serverPublic);
      const info = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), serverPublic]);
      const ikm = Buffer.from(hkdfSync('sha256', secret, auth, info, 32));
      const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
      const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
      const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const padded = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
      // Padding: zeros after the delimiter 0x02 of the last record.
      let end = padded.length - 1;
      while (end >= 0 && padded[end] === 0) end--;
      if (padded[end] !== 2) throw new Error('no last-record delimiter');
      return padded.subarray(0, end).toString('utf8');
    },
  };
}

/** Checks a push's `Authorization: vapid t=…, k=…` as a push service does; returns the JWT's claims. */
export function verifyVapid(header: string | undefined, expectedKey: string): { aud: string; exp: number; sub: string } {
  const match = /^vapid t=([^,]+), k=(.+)$/.exec(header ?? '');
  if (!match) throw new Error(`not a vapid authorization: ${header}`);
  const [, jwt, k] = match as unknown as [string, string, string];
  if (k !== expectedKey) throw new Error('another public key');
  const [head, claims, signature] = jwt.split('.') as [string, string, string];
  const pub = Buffer.from(k, 'base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: pub.subarray(1, 33).toString('base64url'), y: pub.subarray(33).toString('base64url') }, format: 'jwk' });
  if (!verify('sha256', Buffer.from(`${head}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))) throw new Error('bad signature');
  const header_ = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg: string };
  if (header_.alg !== 'ES256') throw new Error('not ES256');
  return JSON.parse(Buffer.from(claims, 'base64url').toString()) as { aud: string; exp: number; sub: string };
}
