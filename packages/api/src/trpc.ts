import { initTRPC, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { Context } from './context';
import { databaseUnavailable, isDatabaseUnavailable } from './database-unavailable';
import { AccountBannedError, DomainError, SessionEndedError } from './errors';
import { createServices } from './services';

interface IssueLike {
  path: PropertyKey[];
  message: string;
  code: string;
}
const validationIssues = (cause: unknown): IssueLike[] | null =>
  cause && typeof cause === 'object' && 'issues' in cause && Array.isArray(cause.issues) ? (cause.issues as IssueLike[]) : null;

/** What the caller is told: a service's refusal, or a retryable one when the database cannot be reached. */
const refusalOf = (cause: unknown): DomainError | null =>
  cause instanceof DomainError ? cause : isDatabaseUnavailable(cause) ? databaseUnavailable(cause) : null;

const t = initTRPC.context<Context>().create({
  // Never put stack traces in responses, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error, ctx }) {
    // A subscription's stream fails after the middleware below has returned, so it is mapped here.
    const late = error.code === 'INTERNAL_SERVER_ERROR' ? refusalOf(error.cause) : null;
    const code = late?.code ?? error.code;
    const issues = code === 'BAD_REQUEST' ? validationIssues(error.cause) : null;
    const message =
      late?.message ??
      (code === 'INTERNAL_SERVER_ERROR'
        ? 'Internal server error; please try again'
        : issues
          ? issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')
          : shape.message);
    const refusal = late ?? (error.cause instanceof DomainError ? error.cause : null);
    return {
      code: late ? TRPC_ERROR_CODES_BY_KEY[late.code] : shape.code,
      message,
      data: {
        code: late?.code ?? shape.data.code,
        httpStatus: late ? getHTTPStatusCodeFromError(new TRPCError({ code: late.code })) : shape.data.httpStatus,
        path: shape.data.path,
        zodIssues: issues?.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })) ?? null,
        retryAfterSeconds: refusal?.retryAfterSeconds ?? null,
        // Added for issue 23: a banned account's refusal says so, with the admin's reason, in a field a client can read.
        banned: refusal instanceof AccountBannedError ? { reason: refusal.banReason } : null,
        // Added in session 15: the token's session was logged out (here or elsewhere), so a client says so, not "log in again" alone.
        sessionEnded: refusal instanceof SessionEndedError,
        // Quoted by a user reporting the failure; the server logged the cause under the same id.
        requestId: code === 'INTERNAL_SERVER_ERROR' ? (ctx?.requestId ?? null) : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** The one place where service refusals (and an unreachable database) become tRPC errors. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  const refusal = result.ok ? null : refusalOf(result.error.cause);
  if (refusal) throw new TRPCError({ code: refusal.code, message: refusal.message, cause: refusal });
  return result;
});

const requireUser = t.middleware(({ ctx, next }) => {
  if (!ctx.user && ctx.authFailure) throw ctx.authFailure;
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Log in first: this needs a valid token' });
  return next({ ctx: { user: ctx.user } });
});

/** A server shutting down answers what it runs and refuses the rest, so clients retry on another instance. */
const refuseWhileDraining = t.middleware(({ ctx, type, next }) => {
  // Subscriptions are moved by the client on the reconnect notice; they are not new work.
  if (!ctx.drain || type === 'subscription') return next();
  if (ctx.drain.draining) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'This server is shutting down; try again' });
  return ctx.drain.track(next);
});

const withServices = t.middleware(({ ctx, next }) => next({ ctx: { services: createServices(ctx.deps) } }));

export const publicProcedure = t.procedure.use(refuseWhileDraining).use(mapDomainErrors).use(withServices);
export const protectedProcedure = t.procedure.use(refuseWhileDraining).use(mapDomainErrors).use(requireUser).use(withServices);

/**
 * Admins and owners, read from the database on every call: a role taken away counts at once. Every
 * admin mutation is charged to the admin-actions limit here, before its service writes: one place,
 * so a new admin mutation cannot be added unlimited.
 */
export const adminProcedure = protectedProcedure.use(async ({ ctx, type, next }) => {
  const role = await ctx.services.admin.roleOf(ctx.user.userId);
  if (role !== 'admin' && role !== 'owner') throw new DomainError('FORBIDDEN', 'Only admins and owners can do this');
  if (type === 'mutation') await ctx.deps.limits.consumeAdminAction(ctx.user.userId);
  return next({ ctx: { admin: { id: ctx.user.userId, username: ctx.user.username, role } } });
});
