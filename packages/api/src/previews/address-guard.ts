import ipaddr from 'ipaddr.js';

// Which addresses a link preview may connect to (docs/decisions/138-link-previews.md): the server
// fetches URLs its users chose, so without this a message could make it read its own admin ports,
// the cloud metadata service or anything on the private network (SSRF).

/**
 * Whether `address` (an IP literal) is a public unicast address. Everything ipaddr.js names a special
 * range is refused: private, loopback, link-local (169.254.169.254, the metadata service, among
 * them), unique-local, CGNAT, multicast, unspecified, reserved, documentation, and the IPv6 ranges
 * that carry an IPv4 address inside (6to4, Teredo, NAT64), whose embedded address could be private.
 * An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it is.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process(): parses, and turns an IPv4-mapped IPv6 address into its IPv4 address.
  return ipaddr.process(address).range() === 'unicast';
}

/** The host of a URL as a bare name or IP literal (URL keeps IPv6 literals in brackets). */
export const bareHost = (hostname: string) => (hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname);
