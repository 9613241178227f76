import type { AuthResult, PublicUser } from '@chat/api';
import { TRPCClientError } from '@trpc/client';

export interface Credentials {
  username: string;
  password: string;
  /** Create the account when logging in says it does not exist (a bot's first run). */
  signup?: boolean;
}

/** How a session talks to the server; `chat-client.ts` wires these to tRPC calls. */
export interface SessionTransport {
  login(credentials: Credentials): Promise<AuthResult>;
  signup(credentials: Credentials): Promise<AuthResult>;
  me(token: string): Promise<PublicUser>;
}

/** A JWT's `iat` and `exp` in ms since the epoch; null for a token we cannot read. */
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

function base64UrlDecode(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

export const errorCode = (error: unknown): string | null =>
  error instanceof TRPCClientError && typeof error.data?.code === 'string' ? (error.data.code as string) : null;

/**
 * Who the client is and the token that proves it. With credentials it logs in again when the
 * token is about to expire or the server refuses it; with a bare token it can only report.
 */
export class Session {
  private current: string | null;
  private renewing: Promise<string> | null = null;
  /** Refusals since the last accepted connection: a fresh token refused too means stop. */
  private refusals = 0;
  user: PublicUser | null = null;

  constructor(
    private readonly source: { token: string } | Credentials,
    private readonly transport: SessionTransport,
  ) {
    this.current = 'token' in source ? source.token : null;
  }

  get canRenew(): boolean {
    return !('token' in this.source);
  }

  /** Logs in (or checks the given token) and learns who we are. */
  async start(): Promise<PublicUser> {
    if ('token' in this.source) {
      this.user = await this.transport.me(this.source.token);
    } else {
      await this.token();
    }
    return this.user!;
  }

  /** A token worth sending now; logs in again first when the current one is gone or expiring. */
  async token(): Promise<string> {
    if (this.current && (!this.canRenew || !this.expiresSoon(this.current))) return this.current;
    if (!this.canRenew) throw new Error('No token to send');
    this.renewing ??= this.authenticate().finally(() => (this.renewing = null));
    return this.renewing;
  }

  /** The server refused `token`. Returns whether logging in again is worth a try. */
  refused(token: string | null): boolean {
    if (!this.canRenew) return false;
    if (token !== null && token !== this.current) return true;
    this.refusals += 1;
    this.current = null;
    return this.refusals <= 1;
  }

  /** The token ran out (the server closed the socket with 4401): the next use logs in again. */
  expired(): void {
    if (this.canRenew) this.current = null;
  }

  /** The server accepted our token on a connection. */
  accepted(): void {
    this.refusals = 0;
  }

  /** Renews a minute before `exp` (a tenth of the lifetime for short-lived tokens), so no request carries a dying token. */
  private expiresSoon(token: string): boolean {
    const times = tokenTimes(token);
    if (!times) return false;
    const margin = Math.min(60_000, (times.expiresAt - times.issuedAt) / 10);
    return times.expiresAt - Date.now() < margin;
  }

  private async authenticate(): Promise<string> {
    const credentials = this.source as Credentials;
    let result: AuthResult;
    try {
      result = await this.transport.login(credentials);
    } catch (error) {
      if (!credentials.signup || errorCode(error) !== 'UNAUTHORIZED') throw error;
      // A taken name means the account exists and the password was wrong: report the login error.
      result = await this.transport.signup(credentials).catch((signupError: unknown) => {
        throw errorCode(signupError) === 'CONFLICT' ? error : signupError;
      });
    }
    this.current = result.token;
    this.user = result.user;
    return result.token;
  }
}
