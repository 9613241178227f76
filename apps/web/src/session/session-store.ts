import type { AuthResult } from '../api/trpc';
import { tokenExpiresAt } from './token-expiry';

export interface Session {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  user: AuthResult['user'];
}

export const SESSION_KEY = 'chat.session.v1';

/** A token without a readable expiry is treated as short-lived rather than trusted forever. */
const FALLBACK_TTL_MS = 15 * 60 * 1000;

export function sessionFromAuth(auth: AuthResult, now = Date.now()): Session {
  return { token: auth.token, expiresAt: tokenExpiresAt(auth.token) ?? now + FALLBACK_TTL_MS, user: auth.user };
}

const isSession = (value: unknown): value is Session => {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const user = v.user as Record<string, unknown> | null | undefined;
  return (
    typeof v.token === 'string' &&
    typeof v.expiresAt === 'number' &&
    !!user &&
    typeof user.id === 'string' &&
    typeof user.username === 'string' &&
    typeof user.createdAt === 'string'
  );
};

/** The stored session, or null when there is none, it is malformed or it has expired. */
export function loadSession(storage: Pick<Storage, 'getItem' | 'removeItem'>, now = Date.now()): Session | null {
  const raw = storage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (isSession(parsed) && parsed.expiresAt > now) return parsed;
  } catch {
    // Fall through: a corrupt entry is as good as none.
  }
  storage.removeItem(SESSION_KEY);
  return null;
}

export function saveSession(storage: Pick<Storage, 'setItem'>, session: Session) {
  storage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(storage: Pick<Storage, 'removeItem'>) {
  storage.removeItem(SESSION_KEY);
}
