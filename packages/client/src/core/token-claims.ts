/**
 * A JWT's `iat` and `exp` in ms since the epoch, read without checking anything (the server alone
 * checks the signature); null for a token we cannot read. Without `iat` the token is taken as issued at `exp`.
 */
export function tokenTimes(token: string): { issuedAt: number; expiresAt: number } | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(new TextDecoder().decode(base64UrlDecode(payload)));
    if (!claims || typeof claims !== 'object' || !('exp' in claims) || typeof claims.exp !== 'number') return null;
    const iat = 'iat' in claims && typeof claims.iat === 'number' ? claims.iat : claims.exp;
    return { issuedAt: iat * 1000, expiresAt: claims.exp * 1000 };
  } catch {
    return null;
  }
}

/** The session (`sid`) a token belongs to, unchecked: names this device in focus.changed events; null if unreadable. */
export function tokenSessionId(token: string): string | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(new TextDecoder().decode(base64UrlDecode(payload)));
    return claims && typeof claims === 'object' && 'sid' in claims && typeof claims.sid === 'string' ? claims.sid : null;
  } catch {
    return null;
  }
}

function base64UrlDecode(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}
