import https from 'node:https';
import http from 'node:http';
import { isIP, type LookupFunction } from 'node:net';
import { bareHost, isPublicAddress } from '../previews/address-guard';
import { DEFAULT_NETWORK, PreviewFetchError, resolveChecked } from '../previews/safe-fetch';

// One POST to a push service, SSRF-safe like a link preview (docs/decisions/148-web-push.md): the
// endpoint is a URL a browser gave us, so a user could name the server's own admin port or the cloud
// metadata service. https on 443 only; the host resolved once, every address public, and the socket
// connects to the address that was checked.

/** How pushes reach the network; tests allow their local push service. */
export interface PushNetwork {
  resolve(host: string): Promise<string[]>;
  allowAddress(address: string): boolean;
  /** Whether an endpoint URL may be posted to at all. Default: https on port 443, no credentials. */
  allowUrl(url: URL): boolean;
}

export const DEFAULT_PUSH_NETWORK: PushNetwork = {
  resolve: DEFAULT_NETWORK.resolve,
  allowAddress: isPublicAddress,
  allowUrl: (url) => url.protocol === 'https:' && (url.port === '' || url.port === '443') && !url.username && !url.password,
};

/** The endpoint as a URL we may post to, or null: checked when a browser subscribes, and again before each push. */
export function checkEndpoint(raw: string, network: PushNetwork): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (!network.allowUrl(url)) return null;
  const host = bareHost(url.hostname);
  if (isIP(host) && !network.allowAddress(host)) return null;
  return url;
}

export interface PushRequest {
  endpoint: URL;
  headers: Record<string, string>;
  body: Buffer;
}

/** What the push service answered: its status, or why no answer came ('refused': the address is not allowed). */
export type DeliveryResult = { status: number; retryAfterSeconds: number | null } | { status: null; reason: 'refused' | 'network' | 'timeout' };

export async function deliver(request: PushRequest, network: PushNetwork, timeoutMs: number): Promise<DeliveryResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  let target: { address: string; family: 4 | 6 };
  try {
    target = await resolveChecked(request.endpoint.hostname, { resolve: network.resolve, allowAddress: network.allowAddress, ports: new Set() }, signal);
  } catch (error) {
    if (error instanceof PreviewFetchError && error.reason === 'private-address') return { status: null, reason: 'refused' };
    return { status: null, reason: signal.aborted ? 'timeout' : 'network' };
  }
  const pinned = ((_host: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (opts.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  }) as unknown as LookupFunction;
  const url = request.endpoint;
  const host = bareHost(url.hostname);
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve) => {
    const req = send(
      {
        protocol: url.protocol,
        host: isIP(host) ? target.address : host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        agent: false,
        lookup: pinned,
        ...(url.protocol === 'https:' && !isIP(host) ? { servername: host } : {}),
        headers: { ...request.headers, 'content-length': String(request.body.length) },
        signal,
      },
      (response) => {
        // The answer's body is never needed: drop it (and the socket) at once.
        response.resume();
        response.destroy();
        const retryAfter = Number(response.headers['retry-after']);
        resolve({ status: response.statusCode ?? 0, retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : null });
      },
    );
    req.on('error', () => resolve({ status: null, reason: signal.aborted ? 'timeout' : 'network' }));
    req.end(request.body);
  });
}
