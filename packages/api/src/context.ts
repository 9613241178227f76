import type { IncomingMessage } from 'node:http';
import { TRPCError } from '@trpc/server';
import type { TokenClaims } from './auth/token';
import type { ApiDeps } from './services/deps';

export type AuthUser = TokenClaims;

export interface Context {
  deps: ApiDeps;
  user: AuthUser | null;
}

/** The transport-free part: tests and callers build contexts with it directly. */
export const createContextInner = (opts: { deps: ApiDeps; user: AuthUser | null }): Context => ({ deps: opts.deps, user: opts.user });

const bearerToken = (req: IncomingMessage) => {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
};

/** HTTP: a missing or bad bearer token means anonymous; protected procedures then refuse. */
export const createHttpContextFactory =
  (deps: ApiDeps) =>
  async ({ req }: { req: IncomingMessage }): Promise<Context> => {
    const token = bearerToken(req);
    return createContextInner({ deps, user: token ? await deps.tokens.verify(token) : null });
  };

/**
 * WebSocket: runs once per socket, on its connectionParams. Throwing here makes the adapter
 * send UNAUTHORIZED and close the socket before any procedure runs.
 */
export const createWsContextFactory =
  <Socket>(deps: ApiDeps, onAuthenticated: (socket: Socket, user: AuthUser) => void) =>
  async ({ res, info }: { res: Socket; info: { connectionParams: Record<string, string | undefined> | null } }): Promise<Context> => {
    const token = info.connectionParams?.token;
    if (!token) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Send your token in connectionParams to open the chat socket' });
    const user = await deps.tokens.verify(token);
    if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session token is invalid or expired; log in again' });
    onAuthenticated(res, user);
    return createContextInner({ deps, user });
  };
