/** The JWT payload's claims, without checking anything: the server alone checks the signature. */
function readClaims(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const json: unknown = JSON.parse(atob(base64));
    return json && typeof json === 'object' ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const secondsClaim = (token: string, name: 'exp' | 'iat'): number | null => {
  const value = readClaims(token)?.[name];
  return typeof value === 'number' ? value * 1000 : null;
};

/**
 * Reads `exp` from a JWT's payload, in milliseconds since the epoch. The browser only needs
 * the expiry to plan ahead; the server alone checks the signature.
 */
export const tokenExpiresAt = (token: string): number | null => secondsClaim(token, 'exp');

/** Reads `iat` (when the token was issued), in milliseconds since the epoch. */
export const tokenIssuedAt = (token: string): number | null => secondsClaim(token, 'iat');
