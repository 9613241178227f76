/** Something a session's end must end, e.g. a socket. An object, so a socket needs no closure for it. */
export interface LiveSession {
  /** The session was revoked (a logout, here or on another instance). */
  revoke(): void;
  /**
   * The session's token was rotated to `currentTokenId`. Unless it holds that one, it should move
   * to it by `moveAt` and must be gone by `closeAt` (ms since the epoch), when its token stops working.
   */
  rotated(currentTokenId: string, moveAt: number, closeAt: number): void;
}

/**
 * The open sockets of each session on this instance, so a logout can close them at once. "Log out
 * everywhere" needs no index by user: the revocation names every session it ended.
 */
export interface LiveSessions {
  add(sessionId: string, live: LiveSession): void;
  remove(sessionId: string, live: LiveSession): void;
  closeSession(sessionId: string): number;
  rotated(sessionId: string, currentTokenId: string, moveAt: number, closeAt: number): void;
}

export function createLiveSessions(): LiveSessions {
  const bySession = new Map<string, Set<LiveSession>>();
  return {
    add(sessionId, live) {
      let held = bySession.get(sessionId);
      if (!held) bySession.set(sessionId, (held = new Set()));
      held.add(live);
    },
    remove(sessionId, live) {
      const held = bySession.get(sessionId);
      if (held?.delete(live) && held.size === 0) bySession.delete(sessionId);
    },
    closeSession(sessionId) {
      const held = [...(bySession.get(sessionId) ?? [])];
      bySession.delete(sessionId);
      for (const live of held) live.revoke();
      return held.length;
    },
    rotated(sessionId, currentTokenId, moveAt, closeAt) {
      for (const live of bySession.get(sessionId) ?? []) live.rotated(currentTokenId, moveAt, closeAt);
    },
  };
}
