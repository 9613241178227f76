import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

export interface TokenConfig {
  /** At least 32 bytes; checked by the server's env. */
  secret: string;
  ttlSeconds: number;
  issuer?: string;
  audience?: string;
}

export interface TokenClaims {
  userId: string;
  username: string;
  tokenId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export interface TokenService {
  sign(user: { id: string; username: string }): Promise<string>;
  /** Returns null for any token that is not one of ours, still valid. */
  verify(token: string): Promise<TokenClaims | null>;
}

// A real token is a few hundred bytes; refusing longer ones bounds the work an attacker can cause.
const MAX_TOKEN_LENGTH = 4096;
const CLOCK_TOLERANCE_SECONDS = 30;

export function createTokenService(config: TokenConfig): TokenService {
  const key = new TextEncoder().encode(config.secret);
  const issuer = config.issuer ?? 'chat';
  const audience = config.audience ?? 'chat';
  return {
    async sign(user) {
      return new SignJWT({ name: user.username })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(user.id)
        .setJti(randomUUID())
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${config.ttlSeconds}s`)
        .sign(key);
    },
    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) return null;
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer,
          audience,
          typ: 'JWT',
          requiredClaims: ['exp', 'iat', 'sub', 'jti'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        });
        if (typeof payload.name !== 'string' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
        // jose accepts an iat in the future; a token "issued" later than now was not issued by us.
        if (typeof payload.iat !== 'number' || payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) return null;
        return { userId: payload.sub, username: payload.name, tokenId: String(payload.jti), expiresAt: payload.exp };
      } catch {
        return null;
      }
    },
  };
}
