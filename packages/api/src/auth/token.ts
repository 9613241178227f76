import { SignJWT, jwtVerify } from 'jose';
import { hmacKey } from './hmac-key';

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
  /** The login this token was refreshed from (`sid`); logout ends it with every token of it. */
  sessionId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** The session row a token is signed for (see services/session-view.ts). */
export interface TokenSession {
  id: string;
  tokenId: string;
  /** The session's absolute end: no token of it outlives this. */
  expiresAt: Date;
}

export interface TokenService {
  sign(user: { id: string; username: string }, session: TokenSession): Promise<string>;
  /** Returns null for any token that is not one of ours, still valid. */
  verify(token: string): Promise<TokenClaims | null>;
}

// A real token is a few hundred bytes; refusing longer ones bounds the work an attacker can cause.
const MAX_TOKEN_LENGTH = 4096;
const CLOCK_TOLERANCE_SECONDS = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createTokenService(config: TokenConfig): TokenService {
  const key = hmacKey(new TextEncoder().encode(config.secret));
  const issuer = config.issuer ?? 'chat';
  const audience = config.audience ?? 'chat';
  return {
    async sign(user, session) {
      const issuedAt = Math.floor(Date.now() / 1000);
      return new SignJWT({ name: user.username, sid: session.id })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(user.id)
        .setJti(session.tokenId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(Math.min(issuedAt + config.ttlSeconds, Math.floor(session.expiresAt.getTime() / 1000)))
        .sign(await key);
    },
    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) return null;
      try {
        const { payload } = await jwtVerify(token, await key, {
          algorithms: ['HS256'],
          issuer,
          audience,
          typ: 'JWT',
          requiredClaims: ['exp', 'iat', 'sub', 'jti'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        });
        const { name, sub, sid, jti, exp, iat } = payload;
        if (typeof name !== 'string' || typeof exp !== 'number') return null;
        // Ids go into uuid columns: anything else is not ours, and must not reach a query as one.
        if (![sub, sid, jti].every((id) => typeof id === 'string' && UUID.test(id))) return null;
        // jose accepts an iat in the future; a token "issued" later than now was not issued by us.
        if (typeof iat !== 'number' || iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) return null;
        // We never sign a longer one: a token that lives longer was forged with a leaked secret, or signed under an older, longer TTL.
        if (exp - iat > config.ttlSeconds) return null;
        return { userId: sub as string, username: name, tokenId: jti as string, sessionId: sid as string, expiresAt: exp };
      } catch {
        return null;
      }
    },
  };
}
