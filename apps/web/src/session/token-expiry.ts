/**
 * Reads `exp` from a JWT's payload, in milliseconds since the epoch. The browser only needs
 * the expiry to plan ahead; the server alone checks the signature.
 */
export function tokenExpiresAt(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const json: unknown = JSON.parse(atob(base64));
    if (json && typeof json === 'object' && 'exp' in json && typeof json.exp === 'number') return json.exp * 1000;
    return null;
  } catch {
    return null;
  }
}
