import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { banSentence } from '@chat/client/core';
import type { AuthResult } from '../api/trpc';
import { type BanNotice, clearBan, loadBan, saveBan } from './ban-notice';
import { clearSession, loadSession, saveSession, type Session, SESSION_KEY, sessionFromAuth } from './session-store';

interface SessionApi {
  session: Session | null;
  /** Why the user was sent back to login, shown there once. */
  notice: string | null;
  signIn(auth: AuthResult): void;
  /** Keeps the same user signed in with a fresh token (auth.refresh's answer). */
  renew(auth: AuthResult): void;
  signOut(notice?: string): void;
  /** The account in this browser is banned: what it was told stays until someone logs in here. */
  ban: BanNotice | null;
  /** Signs out (if signed in) and keeps the ban: a reload or an invite link shows it, not a sign-up form. */
  banned(ban: BanNotice): void;
}

const SessionContext = createContext<SessionApi | null>(null);

// setTimeout fires at once for delays above 2^31-1 ms; cap and re-check instead.
const MAX_TIMER_MS = 2 ** 31 - 1;

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => loadSession(localStorage));
  const [notice, setNotice] = useState<string | null>(null);
  const [ban, setBan] = useState<BanNotice | null>(() => loadBan(localStorage));

  const signIn = useCallback((auth: AuthResult) => {
    const next = sessionFromAuth(auth);
    saveSession(localStorage, next);
    clearBan(localStorage);
    setBan(null);
    setNotice(null);
    setSession(next);
  }, []);

  const renew = useCallback((auth: AuthResult) => {
    const next = sessionFromAuth(auth);
    saveSession(localStorage, next);
    setSession((current) => (current?.user.id === next.user.id ? next : current));
  }, []);

  const signOut = useCallback((why?: string) => {
    clearSession(localStorage);
    setNotice(why ?? null);
    setSession(null);
  }, []);

  const banned = useCallback((next: BanNotice) => {
    clearSession(localStorage);
    saveBan(localStorage, next);
    setBan(next);
    setNotice(banSentence(next.reason));
    setSession(null);
  }, []);

  // Leave before the token does, so the chat never sits on a dead session (unless renewed first).
  useEffect(() => {
    if (!session) return;
    const ms = session.expiresAt - Date.now();
    const timer = setTimeout(
      () => (Date.now() >= session.expiresAt ? signOut('Your session expired. Log in again to keep chatting.') : setSession({ ...session })),
      Math.max(0, Math.min(ms, MAX_TIMER_MS)),
    );
    return () => clearTimeout(timer);
  }, [session, signOut]);

  // Logging in or out in one tab does the same in the others.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key !== SESSION_KEY) return;
      setSession(loadSession(localStorage));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const value = useMemo(() => ({ session, notice: notice ?? (ban ? banSentence(ban.reason) : null), signIn, renew, signOut, ban, banned }), [session, notice, signIn, renew, signOut, ban, banned]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession needs a SessionProvider');
  return api;
}
