/** Something a revoked token must end, e.g. a socket. An object, so a socket needs no closure for it. */
export interface LiveSession {
  revoke(): void;
}

/** The open sockets of each token on this instance, so a logout can close them at once. */
export interface LiveSessions {
  add(tokenId: string, session: LiveSession): void;
  remove(tokenId: string, session: LiveSession): void;
  closeToken(tokenId: string): number;
}

export function createLiveSessions(): LiveSessions {
  // A token usually has one socket: it is stored as is, and a Set only for several.
  const byToken = new Map<string, LiveSession | Set<LiveSession>>();
  return {
    add(tokenId, session) {
      const held = byToken.get(tokenId);
      if (!held) byToken.set(tokenId, session);
      else if (held instanceof Set) held.add(session);
      else if (held !== session) byToken.set(tokenId, new Set([held, session]));
    },
    remove(tokenId, session) {
      const held = byToken.get(tokenId);
      if (held === session) byToken.delete(tokenId);
      else if (held instanceof Set) {
        held.delete(session);
        if (held.size === 0) byToken.delete(tokenId);
      }
    },
    closeToken(tokenId) {
      const held = byToken.get(tokenId);
      byToken.delete(tokenId);
      const sessions = held instanceof Set ? [...held] : held ? [held] : [];
      for (const session of sessions) session.revoke();
      return sessions.length;
    },
  };
}
