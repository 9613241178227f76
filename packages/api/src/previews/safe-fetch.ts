import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { bareHost, isPublicAddress } from './address-guard';

// One outgoing GET for a link preview, SSRF-safe (docs/decisions/138-link-previews.md): the host is
// resolved once here, every address it resolves to must be public, and the socket connects to the
// address that was checked (the agent's `lookup` answers with it), so a DNS answer that changes
// between the check and the connection (rebinding) changes nothing. Each redirect is checked again.

/** Why a fetch gave nothing: each is a refusal, never a crash. */
export type FetchRefusal =
  | 'bad-url'
  | 'port'
  | 'private-address'
  | 'dns'
  | 'too-many-redirects'
  | 'timeout'
  | 'too-large'
  | 'wrong-type'
  | 'status'
  | 'network';

export class PreviewFetchError extends Error {
  constructor(
    readonly reason: FetchRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'PreviewFetchError';
  }
}

/** How the fetcher reaches the network; tests swap the resolver and allow their own local "internet". */
export interface PreviewNetwork {
  /** Every address `host` resolves to. Default: `dns.promises.lookup(host, { all: true })`. */
  resolve(host: string): Promise<string[]>;
  /** Whether a fetch may connect to `address`. Default: `isPublicAddress`. */
  allowAddress(address: string): boolean;
  /** Ports a URL may name. Default 80 and 443. */
  ports: ReadonlySet<number>;
}

/**
 * dns.lookup runs on libuv's thread pool (4 threads, shared with argon2 and the file system): at most
 * 2 lookups at once, so names that resolve slowly on purpose cannot stall logins.
 */
const lookups = { free: 2, waiting: [] as (() => void)[] };
async function systemLookup(host: string): Promise<string[]> {
  if (lookups.free > 0) lookups.free--;
  else await new Promise<void>((resolve) => lookups.waiting.push(resolve));
  try {
    return (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } finally {
    const next = lookups.waiting.shift();
    if (next) next();
    else lookups.free++;
  }
}

export const DEFAULT_NETWORK: PreviewNetwork = {
  resolve: systemLookup,
  allowAddress: isPublicAddress,
  ports: new Set([80, 443]),
};

export interface FetchOptions {
  network: PreviewNetwork;
  /** Content types (without parameters) that may be read; anything else is refused before its body. */
  types: readonly string[];
  /** Bytes read at most; a declared Content-Length above it is refused, a longer body is cut there. */
  maxBytes: number;
  maxRedirects: number;
  /** Aborts the whole fetch, redirects and DNS included (the time limit). */
  signal: AbortSignal;
  userAgent: string;
}

export interface Fetched {
  /** The URL the body came from, after redirects. */
  url: URL;
  contentType: string;
  charset: string | null;
  body: Buffer;
  /** The body was longer than `maxBytes` and reading stopped there. */
  cut: boolean;
}

/** A URL the fetcher may request at all: http(s), no credentials, an allowed port. */
export function checkUrl(raw: string | URL, network: PreviewNetwork): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PreviewFetchError('bad-url', 'Not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PreviewFetchError('bad-url', 'Only http and https links get a preview');
  if (url.username || url.password) throw new PreviewFetchError('bad-url', 'Links with credentials get no preview');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  if (!network.ports.has(port)) throw new PreviewFetchError('port', `Port ${port} is not fetched for previews`);
  return url;
}

/** Resolves `host` once and picks the address to connect to; refuses if any address it has is not allowed. */
export async function resolveChecked(host: string, network: PreviewNetwork, signal: AbortSignal): Promise<{ address: string; family: 4 | 6 }> {
  const bare = bareHost(host);
  let addresses: string[];
  if (isIP(bare)) addresses = [bare];
  else {
    try {
      addresses = await abortable(network.resolve(bare), signal);
    } catch (error) {
      if (signal.aborted) throw new PreviewFetchError('timeout', 'The page took too long');
      throw new PreviewFetchError('dns', `Could not resolve ${bare}: ${(error as Error).message}`);
    }
  }
  if (addresses.length === 0) throw new PreviewFetchError('dns', `${bare} has no address`);
  // All of them, not just the first: a name with one public and one private address is refused.
  const refused = addresses.find((a) => !network.allowAddress(a));
  if (refused !== undefined) throw new PreviewFetchError('private-address', `${bare} resolves to an address that is not public`);
  const address = addresses[0]!;
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

/** GET `raw` under the rules above, following at most `maxRedirects` redirects, each checked again. */
export async function safeFetch(raw: string, options: FetchOptions): Promise<Fetched> {
  let url = checkUrl(raw, options.network);
  for (let hop = 0; ; hop++) {
    const target = await resolveChecked(url.hostname, options.network, options.signal);
    const response = await requestOnce(url, target, options);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location !== undefined) {
      response.destroy();
      if (hop >= options.maxRedirects) throw new PreviewFetchError('too-many-redirects', `More than ${options.maxRedirects} redirects`);
      url = checkUrl(redirectTarget(response.headers.location, url), options.network);
      continue;
    }
    if (status < 200 || status >= 300) {
      response.destroy();
      throw new PreviewFetchError('status', `The page answered ${status}`);
    }
    return readBody(url, response, options);
  }
}

function redirectTarget(location: string, from: URL): URL {
  try {
    return new URL(location, from);
  } catch {
    throw new PreviewFetchError('bad-url', 'A redirect to something that is not a URL');
  }
}

function requestOnce(url: URL, target: { address: string; family: 4 | 6 }, options: FetchOptions): Promise<IncomingMessage> {
  // Whatever name the socket asks for, it gets the checked address: no second resolution.
  // Node asks with `all: true` (happy eyeballs) or without; both get the one checked address.
  const pinned = ((_host: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (opts.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  }) as unknown as LookupFunction;
  const host = bareHost(url.hostname);
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        protocol: url.protocol,
        host: isIP(host) ? target.address : host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        // A fresh socket each time (no pool shared with anything else), no cookies, no compression (the size limit counts wire bytes).
        agent: false,
        lookup: pinned,
        ...(url.protocol === 'https:' && !isIP(host) ? { servername: host } : {}),
        headers: { 'user-agent': options.userAgent, accept: options.types.join(', '), 'accept-encoding': 'identity' },
        signal: options.signal,
      },
      resolve,
    );
    req.on('error', (error) => reject(options.signal.aborted ? new PreviewFetchError('timeout', 'The page took too long') : new PreviewFetchError('network', error.message)));
    req.end();
  });
}

async function readBody(url: URL, response: IncomingMessage, options: FetchOptions): Promise<Fetched> {
  const [type = '', ...params] = (response.headers['content-type'] ?? '').split(';').map((s) => s.trim());
  const contentType = type.toLowerCase();
  const encoding = (response.headers['content-encoding'] ?? 'identity').toLowerCase();
  const declared = Number(response.headers['content-length'] ?? NaN);
  const refuse = (reason: FetchRefusal, message: string): never => {
    response.destroy();
    throw new PreviewFetchError(reason, message);
  };
  if (!options.types.includes(contentType)) refuse('wrong-type', `Not a page (${contentType || 'no type'})`);
  if (encoding !== 'identity') refuse('wrong-type', `Compressed answers are not read (${encoding})`);
  if (declared > options.maxBytes) refuse('too-large', `The page is larger than ${options.maxBytes} bytes`);
  const charset = params.find((p) => p.toLowerCase().startsWith('charset='))?.slice(8).replace(/"/g, '') ?? null;
  const chunks: Buffer[] = [];
  let size = 0;
  let cut = false;
  try {
    for await (const chunk of response) {
      const buffer = chunk as Buffer;
      const room = options.maxBytes - size;
      chunks.push(buffer.length > room ? buffer.subarray(0, room) : buffer);
      size += Math.min(buffer.length, room);
      if (size >= options.maxBytes) {
        cut = true;
        break;
      }
    }
  } catch (error) {
    if (options.signal.aborted) throw new PreviewFetchError('timeout', 'The page took too long');
    throw new PreviewFetchError('network', (error as Error).message);
  } finally {
    // Stop reading: the socket closes, the rest is never downloaded.
    response.destroy();
  }
  if (options.signal.aborted) throw new PreviewFetchError('timeout', 'The page took too long');
  return { url, contentType, charset, body: Buffer.concat(chunks, size), cut };
}

/** `promise`, or a rejection as soon as `signal` aborts (a DNS lookup cannot be cancelled). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
