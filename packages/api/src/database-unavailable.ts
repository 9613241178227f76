import { DomainError } from './errors';

/** What a refusal during a database outage tells clients to wait before trying again. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** Socket-level failures reaching PostgreSQL (Node's codes on the pg connection). */
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * PostgreSQL's own: admin/crash shutdown, cannot connect now (starting up or shutting down),
 * too many connections, and the whole 08 class (connection exception).
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** pg and knex say these in the message only, with no code (MikroORM puts the SQL in front). */
const MESSAGES = [/Connection terminated/i, /Timeout acquiring a connection/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i, /the database system is (starting up|shutting down)/i];
// LockHoldsBusyError: locked writes refused before they could wait (lock-holds.ts in @chat/db).
const NAMES = new Set(['ConnectionException', 'KnexTimeoutError', 'LockHoldsBusyError']);

function isConnectionFailure(error: object): boolean {
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && (NODE_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (typeof name === 'string' && NAMES.has(name)) return true;
  return typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * True when `error` (or anything in its cause chain, or an AggregateError's members) says the
 * database could not be reached, rather than that a query was wrong: pg, knex and MikroORM
 * each wrap the same socket failure differently, so they are all recognised here, once.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue = [error];
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next || typeof next !== 'object' || seen.has(next)) continue;
    seen.add(next);
    if (isConnectionFailure(next)) return true;
    const { cause, errors } = next as { cause?: unknown; errors?: unknown };
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return false;
}

/** The refusal a call gets while the database is unreachable: retryable, with a hint. */
export const databaseUnavailable = (cause: unknown) =>
  new DomainError('SERVICE_UNAVAILABLE', 'The database is unavailable; try again in a moment', DATABASE_RETRY_AFTER_SECONDS, { cause });
