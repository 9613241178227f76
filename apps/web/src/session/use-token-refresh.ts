import { isRefusal, renewAt, renewRetryDelayMs, tokenTimes } from '@chat/client/core';
import { useEffect, useRef } from 'react';
import type { AuthResult } from '../api/trpc';
import type { Session } from './session-store';

// setTimeout fires at once for delays above 2^31-1 ms; renewing a month-long token early is harmless.
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Options {
  /** auth.refresh with the current token; null until the clients exist. */
  refresh: (() => Promise<AuthResult>) | null;
  onRenewed(auth: AuthResult): void;
  /** The server refused the token it was asked to renew. */
  onRefused(error: unknown): void;
}

/** When to renew the session's token: the shared policy of `@chat/client/core`, on the stored expiry. */
export function sessionRenewAt(session: Pick<Session, 'token' | 'expiresAt'>, now = Date.now()): number {
  const times = tokenTimes(session.token);
  const lifetime = times && times.expiresAt > times.issuedAt ? times.expiresAt - times.issuedAt : session.expiresAt - now;
  return renewAt(session.expiresAt, lifetime);
}

/**
 * Renews the session's token before it expires, without the user noticing. A network failure
 * is retried while the token lasts; after that the session's own expiry timer signs out.
 */
export function useTokenRefresh(session: Session, { refresh, onRenewed, onRefused }: Options) {
  const callbacks = useRef({ onRenewed, onRefused });
  useEffect(() => {
    callbacks.current = { onRenewed, onRefused };
  });

  const { token, expiresAt } = session;
  useEffect(() => {
    if (!refresh) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = (n: number) => {
      refresh()
        .then((auth) => {
          if (!cancelled) callbacks.current.onRenewed(auth);
        })
        .catch((error: unknown) => {
          if (cancelled) return;
          if (isRefusal(error)) return callbacks.current.onRefused(error);
          const delay = renewRetryDelayMs(n + 1, expiresAt);
          if (delay !== null) timer = setTimeout(() => attempt(n + 1), delay);
        });
    };
    const due = sessionRenewAt({ token, expiresAt });
    timer = setTimeout(() => attempt(0), Math.max(0, Math.min(due - Date.now(), MAX_TIMER_MS)));
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [refresh, token, expiresAt]);
}
