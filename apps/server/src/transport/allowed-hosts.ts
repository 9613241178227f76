import { isIP } from 'node:net';

/** The hostname of a Host header (`name`, `name:port`, `1.2.3.4:port`, `[::1]:port`), lower-cased, or null if malformed. */
export function hostnameOf(host: string): string | null {
  const value = host.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0 || (end + 1 < value.length && !/^:\d{1,5}$/.test(value.slice(end + 1)))) return null;
    return isIP(value.slice(1, end)) === 6 ? value.slice(1, end) : null;
  }
  const [name = '', port, ...more] = value.split(':');
  if (more.length > 0 || (port !== undefined && !/^\d{1,5}$/.test(port))) return null;
  // "example.com." names the same host as "example.com".
  const hostname = name.endsWith('.') ? name.slice(0, -1) : name;
  return /^[a-z0-9_.-]+$/.test(hostname) ? hostname : null;
}

/**
 * Which Host headers the server answers (DNS rebinding: a page on an attacker's domain that
 * resolves to this server is same-origin with its own Host, so the Origin check alone passes it).
 * Always: IP literals and localhost, which no attacker's DNS can make a page's origin point at
 * as a name; so LAN and public-IP use needs no setting. Names: those listed (`chat.example.com`,
 * or `.example.com` for it and its subdomains, as Vite's `server.allowedHosts`; `*` for any) and
 * the hosts of ALLOWED_ORIGINS.
 */
export function createHostCheck(allowedHosts: readonly string[], allowedOrigins: readonly string[]) {
  const any = allowedHosts.includes('*');
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const entry of allowedHosts) {
    const name = entry.trim().toLowerCase();
    if (name.startsWith('.')) suffixes.push(name.slice(1).replace(/\.$/, ''));
    else if (name && name !== '*') exact.add(hostnameOf(name) ?? name);
  }
  for (const origin of allowedOrigins) {
    try {
      exact.add(new URL(origin).hostname.replace(/^\[|\]$/g, '').toLowerCase());
    } catch {
      // env.ts validates ALLOWED_ORIGINS as URLs
    }
  }

  return (host: string | undefined): boolean => {
    // Browsers always send Host; a client that sends none is not a page.
    if (host === undefined || any) return true;
    const hostname = hostnameOf(host);
    if (hostname === null) return false;
    if (isIP(hostname) !== 0 || hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
    return exact.has(hostname) || suffixes.some((suffix) => hostname === suffix || hostname.endsWith(`.${suffix}`));
  };
}

/** The refusal's text: which setting admits this host. */
export const hostRefusal = (host: string | undefined) => {
  const name = hostnameOf(host ?? '') ?? 'this name';
  return `Blocked request: the host "${name}" is not allowed. If this server is meant to answer to it, add it to ALLOWED_HOSTS (e.g. ALLOWED_HOSTS=${name}) and restart.\n`;
};
