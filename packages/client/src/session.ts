import type { AppRouter, AuthResult, PublicUser } from '@chat/api';
import { TRPCClientError } from '@trpc/client';
import { errorCode, isRefusal, renewRetryDelayMs, tokenSchedule } from './core';

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
  /** `auth.refresh` called with `token`: a fresh token for a still-valid one. */
  refresh(token: string): Promise<AuthResult>;
}

export interface SessionEvents {
  /** A renewal in the background was refused and cannot be replaced by logging in: the session is over. */
  onLost(error: TRPCClientError<AppRouter>): void;
}

export const unauthorized = (message: string) =>
  TRPCClientError.from<AppRouter>({ error: { code: -32001, message, data: { code: 'UNAUTHORIZED', httpStatus: 401 } } });

/**
 * Who the client is and the token that proves it. Before the token expires it asks for a fresh
 * one (`auth.refresh`); when that is refused it logs in again if it has credentials, and
 * otherwise the session is over (reported once through `onLost` or a rejected `token()`).
 */
export class Session {
  private current: string | null;
  /** Local clock times (ms) at which to renew `current` and after which it is no use. */
  private renewAt = Infinity;
  private expiresAt = Infinity;
  private renewing: Promise<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  /** Refusals since the last accepted connection: a fresh token refused too means stop. */
  private refusals = 0;
  /** Background renewals in a row that found the server unreachable. */
  private failedRenewals = 0;
  user: PublicUser | null = null;

  constructor(
    private readonly source: { token: string } | Credentials,
    private readonly transport: SessionTransport,
    private readonly events: SessionEvents = { onLost: () => undefined },
  ) {
    this.current = 'token' in source ? source.token : null;
  }

  /** Whether it holds credentials, so a refused or revoked token can be replaced by logging in. */
  get canLogin(): boolean {
    return !('token' in this.source);
  }

  /** Logs in (or checks the given token) and learns who we are. */
  async start(): Promise<PublicUser> {
    if ('token' in this.source) {
      this.user = await this.transport.me(this.source.token);
      this.adopt(this.source.token, false);
    } else {
      await this.token();
    }
    return this.user!;
  }

  /** Stops renewing in the background (on close). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** A token worth sending now; renews first when the current one is due (or gone). */
  async token(): Promise<string> {
    if (this.current && Date.now() < this.renewAt) return this.current;
    this.renewing ??= this.renew().finally(() => (this.renewing = null));
    return this.renewing;
  }

  /** The server refused `token` on connecting. Returns whether logging in again is worth a try. */
  refused(token: string | null): boolean {
    if (!this.canLogin) return false;
    if (token !== null && token !== this.current) return true;
    this.refusals += 1;
    this.current = null;
    return this.refusals <= 1;
  }

  /** The socket that carried `token` outlived it (close 4401): renew now unless that happened already. */
  expired(token: string | null): void {
    if (token === this.current) this.renewAt = 0;
  }

  /**
   * `token` was revoked (close 4403, a logout). Returns whether the session goes on: with
   * credentials it logs in again; with a bare token a logout ends it (the server ends every
   * token of the session, refreshed ones included).
   */
  revoked(token: string | null): boolean {
    if (token === this.current || !this.canLogin) this.current = null;
    return this.canLogin;
  }

  /** The server accepted our token on a connection. */
  accepted(): void {
    this.refusals = 0;
  }

  private async renew(): Promise<string> {
    const token = this.current;
    if (token) {
      try {
        return this.adopt((await this.transport.refresh(token)).token, true);
      } catch (error) {
        // Not refused, only unreachable: the token we have is still good until it expires.
        if (!isRefusal(error) && Date.now() < this.expiresAt) return token;
        if (!isRefusal(error) || !this.canLogin) throw error;
      }
    }
    if (!this.canLogin) throw unauthorized('Your session ended (token revoked or expired); log in again');
    return this.authenticate();
  }

  /** Makes `token` current and plans its renewal (the shared policy: `tokenSchedule`). */
  private adopt(token: string, issuedNow: boolean): string {
    this.current = token;
    this.failedRenewals = 0;
    clearTimeout(this.timer);
    const schedule = tokenSchedule(token, { issuedNow });
    this.renewAt = schedule?.renewAt ?? Infinity;
    this.expiresAt = schedule?.expiresAt ?? Infinity;
    if (schedule) this.scheduleRenewal(this.renewAt - Date.now());
    return token;
  }

  private scheduleRenewal(delayMs: number) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.renewInBackground(), Math.min(Math.max(0, delayMs), 2 ** 31 - 1));
    // The socket keeps the process alive while it is needed; this timer alone must not.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private async renewInBackground() {
    const before = this.current;
    try {
      await this.token();
    } catch (error) {
      if (!this.stopped && isRefusal(error)) this.events.onLost(error instanceof TRPCClientError ? error : unauthorized(String(error)));
      // Otherwise the token has run out while the server was unreachable: connecting again renews.
      return;
    }
    // The server was unreachable and the token still works: try again before it runs out.
    const retryIn = this.current === before ? renewRetryDelayMs(++this.failedRenewals, this.expiresAt) : null;
    if (retryIn !== null) this.scheduleRenewal(retryIn);
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
    this.user = result.user;
    return this.adopt(result.token, true);
  }
}
