import { initTRPC, TRPCError } from '@trpc/server';
import type { Context } from './context';
import { DomainError } from './errors';
import { createServices } from './services';

interface IssueLike {
  path: PropertyKey[];
  message: string;
  code: string;
}
const validationIssues = (cause: unknown): IssueLike[] | null =>
  cause && typeof cause === 'object' && 'issues' in cause && Array.isArray(cause.issues) ? (cause.issues as IssueLike[]) : null;

const t = initTRPC.context<Context>().create({
  // Never put stack traces in responses, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error, ctx }) {
    const issues = error.code === 'BAD_REQUEST' ? validationIssues(error.cause) : null;
    const message =
      error.code === 'INTERNAL_SERVER_ERROR'
        ? 'Internal server error; please try again'
        : issues
          ? issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')
          : shape.message;
    return {
      code: shape.code,
      message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        zodIssues: issues?.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })) ?? null,
        retryAfterSeconds: error.cause instanceof DomainError ? (error.cause.retryAfterSeconds ?? null) : null,
        // Quoted by a user reporting the failure; the server logged the cause under the same id.
        requestId: error.code === 'INTERNAL_SERVER_ERROR' ? (ctx?.requestId ?? null) : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** The one place where service refusals become tRPC errors. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    throw new TRPCError({ code: result.error.cause.code, message: result.error.cause.message, cause: result.error.cause });
  }
  return result;
});

const requireUser = t.middleware(({ ctx, next }) => {
  if (!ctx.user && ctx.authFailure) throw ctx.authFailure;
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Log in first: this needs a valid token' });
  return next({ ctx: { user: ctx.user } });
});

const withServices = t.middleware(({ ctx, next }) => next({ ctx: { services: createServices(ctx.deps) } }));

export const publicProcedure = t.procedure.use(mapDomainErrors).use(withServices);
export const protectedProcedure = t.procedure.use(mapDomainErrors).use(requireUser).use(withServices);
