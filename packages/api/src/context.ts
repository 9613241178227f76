import type { IncomingMessage } from 'node:http';
import { TRPCError } from '@trpc/server';
import type { AuthUser } from './auth/auth-user';
import { DomainError, SessionEndedError } from './errors';
import { repositoriesFor } from '@chat/db';
import { bannedRefusal } from './services/auth.service';
import type { ApiDeps } from './services/deps';

// Defined below the services that use it; exported here too, where @chat/api and the server always took it from.
export type { AuthUser };

export interface Context {
  deps: ApiDeps;
  user: AuthUser | null;
  /** Why the token could not be checked (its session unreadable: the database down); protected procedures fail with it. */
  authFailure?: unknown;
  /** The caller's address, for per-IP limits. */
  ip: string;
  /** HTTP only: the User-Agent header, from which a login's device label is made (docs/decisions/156). */
  userAgent?: string;
  /** The site the caller uses (`https://chat.example.com`), for links such as invites; null when unknown. */
  webOrigin?: string | null;
  /** Ties a response to its log lines; an HTTP request id or a WebSocket connection id (which the push lane is keyed by). */
  requestId: string;
  /** Set by the server: lets its shutdown refuse new calls and wait for running ones. */
  drain?: DrainGate;
}

/** A shutdown in progress refuses new queries and mutations and waits for the running ones. */
export interface DrainGate {
  readonly draining: boolean;
  /** Runs one call, counted as in flight until it settles. */
  track<T>(call: () => Promise<T>): Promise<T>;
}

/** The transport-free part: tests and callers build contexts with it directly. */
export const createContextInner = (opts: Context): Context => ({ ...opts });

/** How the server identifies a request: it knows about proxies and ids, the API does not. */
export interface RequestIdentity {
  ip(req: IncomingMessage): string;
  requestId(req: IncomingMessage): string;
  webOrigin?(req: IncomingMessage): string | null;
}

/**
 * One token check for both transports: signature and claims, then its session (which must exist,
 * belong to the token's user, be live and hold this token). No Redis on this path. Null for a token
 * that is not ours, ran out or was replaced; a refusal that says why for a signed token whose
 * session was logged out (SessionEndedError) or whose account is banned.
 */
export async function authenticate(deps: ApiDeps, token: string | null | undefined): Promise<AuthUser | null> {
  if (!token) return null;
  const claims = await deps.tokens.verify(token);
  if (!claims) return null;
  const standing = await deps.sessionView.check(claims);
  // Not `{ ...claims, graceEndsAt }`: V8 gives each object made by a spread plus a property its own
  // hidden class (~300 bytes), and a socket keeps its user for hours (docs/decisions/122).
  if (standing) return Object.assign({}, claims, { graceEndsAt: standing.graceEndsAt });
  // A ban ended the session: say so (FORBIDDEN) rather than "log in again". Only validly signed
  // tokens of ended sessions get here, so this read is rare.
  const account = await repositoriesFor(deps.orm.em.fork()).users.standingById(claims.userId);
  if (account?.bannedAt) throw bannedRefusal(account.banReason);
  if (deps.sessionView.loggedOut(claims)) throw new SessionEndedError();
  return null;
}

const bearerToken = (req: IncomingMessage) => {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
};

/** HTTP: a missing or bad bearer token means anonymous; protected procedures then refuse. */
export const createHttpContextFactory =
  (deps: ApiDeps, identity: RequestIdentity) =>
  async ({ req }: { req: IncomingMessage }): Promise<Context> => {
    const base = { deps, ip: identity.ip(req), requestId: identity.requestId(req), webOrigin: identity.webOrigin?.(req) ?? null, userAgent: req.headers['user-agent'] ?? '' };
    try {
      return createContextInner({ ...base, user: await authenticate(deps, bearerToken(req)) });
    } catch (authFailure) {
      // Raised by the procedure rather than here, so the error carries the request's id and a login still works.
      return createContextInner({ ...base, user: null, authFailure });
    }
  };

/**
 * WebSocket: runs once per socket, on its connectionParams. Throwing here makes the adapter
 * send UNAUTHORIZED and close the socket before any procedure runs.
 */
export const createWsContextFactory =
  <Socket>(
    deps: ApiDeps,
    identity: RequestIdentity,
    onAuthenticated: (socket: Socket, user: AuthUser) => void,
    /** Runs before the refusal is sent; the server uses it to close with a code clients can act on. */
    onRefused: (socket: Socket) => void = () => {},
    /**
     * The server's drain gate, part of the context from the start: adding it to a copy afterwards
     * (`{ ...ctx, drain }`) gives each socket's context its own V8 hidden class (docs/decisions/122).
     */
    drain?: DrainGate,
  ) =>
  async ({ req, res, info }: { req: IncomingMessage; res: Socket; info: { connectionParams: Record<string, string | undefined> | null } }): Promise<Context> => {
    const token = info.connectionParams?.token;
    if (!token) {
      onRefused(res);
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Send your token in connectionParams to open the chat socket' });
    }
    let user: AuthUser | null;
    try {
      user = await authenticate(deps, token);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      onRefused(res);
      throw new TRPCError({ code: error.code, message: error.message, cause: error });
    }
    if (!user) {
      onRefused(res);
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session token is invalid, expired or revoked; log in again' });
    }
    onAuthenticated(res, user);
    return createContextInner({ deps, user, ip: identity.ip(req), requestId: identity.requestId(req), webOrigin: identity.webOrigin?.(req) ?? null, drain });
  };
