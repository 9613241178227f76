import { tokenSchedule } from '@chat/client/core';
import { z } from 'zod';
import type { AuthResult } from '../api/trpc';

/**
 * What is stored of a signed-in session. The user is checked field by field against the router's
 * own output type: a field added to or removed from `auth.login`'s user fails the typecheck here.
 */
const storedUser = z.object({
  id: z.string(),
  username: z.string(),
  createdAt: z.string(),
  // The account menu reads the current one from auth.me; this is whatever the login answer had.
  avatar: z.string().optional(),
  // The profile as the login answer had it (docs/decisions/155-profiles.md); screens read auth.me for the current one.
  displayName: z.string().optional(),
  status: z.object({ text: z.string(), emoji: z.string().optional(), expiresAt: z.string().optional() }).optional(),
  timeZone: z.string().optional(),
} satisfies Record<keyof AuthResult['user'], z.ZodType>) satisfies z.ZodType<AuthResult['user']>;

const storedSession = z.object({
  token: z.string().min(1),
  /** Milliseconds since the epoch, on this browser's clock. */
  expiresAt: z.number().finite(),
  user: storedUser,
});

export type Session = z.infer<typeof storedSession>;

import { SESSION_KEY } from './session-key';

export { SESSION_KEY };

/** A token without a readable expiry is treated as short-lived rather than trusted forever. */
const FALLBACK_TTL_MS = 15 * 60 * 1000;

/** A session from a login, signup or refresh answer: timed on this browser's clock by the shared policy. */
export function sessionFromAuth(auth: AuthResult, now = Date.now()): Session {
  const expiresAt = tokenSchedule(auth.token, { issuedNow: true, now })?.expiresAt ?? now + FALLBACK_TTL_MS;
  return { token: auth.token, expiresAt, user: auth.user };
}

/** The stored session, or null when there is none, it is malformed or it has expired. */
export function loadSession(storage: Pick<Storage, 'getItem' | 'removeItem'>, now = Date.now()): Session | null {
  const raw = storage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    const parsed = storedSession.safeParse(JSON.parse(raw));
    if (parsed.success && parsed.data.expiresAt > now) return parsed.data;
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
