import type { DOMAIN_ERROR_CODES } from './protocol';

/** The codes a service may refuse with; they match tRPC's so the mapping stays one line. */
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** A refusal the user can act on; its message is shown to them as is. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** For TOO_MANY_REQUESTS and SERVICE_UNAVAILABLE: when trying again can succeed. */
    readonly retryAfterSeconds?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

/**
 * A banned account's refusal (login, and every call its old tokens make). The reason travels in the
 * error's `data.banned` too, so a client can say "you were banned" rather than "you were logged out".
 */
export class AccountBannedError extends DomainError {
  constructor(readonly banReason: string | null) {
    super('FORBIDDEN', `This account is banned${banReason ? ` (${banReason})` : ''}; contact the server's admins if you think this is a mistake`);
  }
}

/**
 * A validly signed token whose session was ended (a logout here or on another device, a revoked
 * device). Its `data.sessionEnded` lets a client say "you were logged out" whichever call of the
 * session hears it first: the socket's 4403 and an HTTP call race after a logout elsewhere.
 */
export class SessionEndedError extends DomainError {
  constructor() {
    super('UNAUTHORIZED', 'This session was logged out; log in again');
  }
}

/** A file over the size limit or the uploader's quota: the upload endpoint answers 413 with this sentence. */
export class FileTooLargeError extends DomainError {
  constructor(message: string) {
    super('BAD_REQUEST', message);
  }
}
