import { DOMAIN_ERROR_CODES } from '@chat/api/schemas';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { errorCode } from './error-codes';

/**
 * What each code means to a person when the server sent no words of its own (tRPC's own refusals,
 * a proxy's answer): what happened, then what to do. Keyed by every tRPC code, so a code added to
 * tRPC fails the typecheck here rather than reaching a user as "server error".
 */
const SENTENCES: Record<TRPC_ERROR_CODE_KEY, string> = {
  PARSE_ERROR: 'The server could not read the request. Reload the page and try again.',
  BAD_REQUEST: 'The server refused the request as invalid. Check what you entered and try again.',
  UNAUTHORIZED: 'Your session has ended. Log in again to keep chatting.',
  PAYMENT_REQUIRED: 'The server refused the request. Contact the server’s admins.',
  FORBIDDEN: 'You are not allowed to do that. Ask a moderator if you think you should be.',
  NOT_FOUND: 'That no longer exists, or you no longer have access to it. Reload to see what is there now.',
  METHOD_NOT_SUPPORTED: 'The server does not accept this request. Reload the page to get the newest version.',
  TIMEOUT: 'The server took too long to answer. Try again.',
  CONFLICT: 'That clashes with something already there. Change it and try again.',
  PRECONDITION_FAILED: 'Something changed in the meantime. Reload and try again.',
  PAYLOAD_TOO_LARGE: 'That is too large to send. Make it shorter and try again.',
  UNSUPPORTED_MEDIA_TYPE: 'The server does not accept this request. Reload the page to get the newest version.',
  UNPROCESSABLE_CONTENT: 'The server could not use what was sent. Check it and try again.',
  PRECONDITION_REQUIRED: 'Something changed in the meantime. Reload and try again.',
  TOO_MANY_REQUESTS: 'Too many requests at once. Wait a moment and try again.',
  CLIENT_CLOSED_REQUEST: 'The request was cancelled before it finished. Try again.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on the server. Try again; if it keeps happening, tell the server’s admins.',
  NOT_IMPLEMENTED: 'This server cannot do that yet. Reload the page to get the newest version.',
  BAD_GATEWAY: 'The server is unavailable right now. Try again in a moment.',
  SERVICE_UNAVAILABLE: 'The server is unavailable right now. Try again in a moment.',
  GATEWAY_TIMEOUT: 'The server is unavailable right now. Try again in a moment.',
};

/** Every code the server can answer with. */
export const TRPC_CODES = Object.keys(SENTENCES) as TRPC_ERROR_CODE_KEY[];

/** No answer at all: the network, not the server. */
export const NO_CONNECTION = 'Could not reach the server. Check your connection and try again.';

/** Codes whose server message is written for the person (services' refusals, docs/decisions/134). */
const SERVER_WORDS = new Set<string>(DOMAIN_ERROR_CODES);

interface ErrorData {
  retryAfterSeconds?: unknown;
  requestId?: unknown;
  banned?: { reason?: unknown } | null;
  sessionEnded?: unknown;
}
const dataOf = (error: unknown) => (error as { data?: ErrorData | null } | null)?.data ?? null;
const messageOf = (error: unknown) => {
  const m = (error as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m.trim() : '';
};
const sentence = (text: string) => {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(s) ? s : `${s}.`;
};

/** The ban behind a refusal (the server's `data.banned`), or null when it was not one. */
export function banOf(error: unknown): { reason: string | null } | null {
  const banned = dataOf(error)?.banned;
  if (!banned || typeof banned !== 'object') return null;
  return { reason: typeof banned.reason === 'string' && banned.reason.trim() ? banned.reason.trim() : null };
}

/** Whether a refusal says the token's session was logged out (the server's `data.sessionEnded`). */
export const sessionEnded = (error: unknown): boolean => dataOf(error)?.sessionEnded === true;

/** What a banned account is told, everywhere: that it was a ban, the admin's reason, what to do. */
export const banSentence = (reason: string | null) =>
  `You were banned from this server${reason ? `: ${sentence(reason)}` : '.'} If you think this is a mistake, contact the server’s admins.`;

/**
 * The one sentence for a failed call: what happened and what to do next. The server's own words
 * when it wrote them for a person (a mute, a limit, a taken name), else the code's sentence.
 */
export function refusalSentence(error: unknown): string {
  const code = errorCode(error);
  if (code === null) return NO_CONNECTION;
  const ban = banOf(error);
  if (ban) return banSentence(ban.reason);
  const data = dataOf(error);
  const message = messageOf(error);
  // Words, not a stray "." from a proxy or a client built against another server.
  if (SERVER_WORDS.has(code) && /[\p{L}\p{N}]/u.test(message)) return sentence(message);
  if (code === 'TOO_MANY_REQUESTS' && typeof data?.retryAfterSeconds === 'number') return `Too many requests at once. Try again in ${Math.ceil(data.retryAfterSeconds)} s.`;
  // Own keys only: a code such as "toString" from a hostile or broken server must not reach Object.prototype.
  const known = Object.hasOwn(SENTENCES, code) ? (SENTENCES as Record<string, string>)[code]! : SENTENCES.INTERNAL_SERVER_ERROR;
  // Quoted by the user, it finds the server's log entry of the failure.
  return code === 'INTERNAL_SERVER_ERROR' && typeof data?.requestId === 'string' ? `${known} (Request id ${data.requestId}.)` : known;
}
