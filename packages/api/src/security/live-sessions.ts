/** The open sockets of each token on this instance, so a logout can close them at once. */
export interface LiveSessions {
  add(tokenId: string, close: () => void): () => void;
  closeToken(tokenId: string): number;
}

export function createLiveSessions(): LiveSessions {
  const byToken = new Map<string, Set<() => void>>();
  return {
    add(tokenId, close) {
      const set = byToken.get(tokenId) ?? new Set();
      set.add(close);
      byToken.set(tokenId, set);
      return () => {
        set.delete(close);
        if (set.size === 0) byToken.delete(tokenId);
      };
    },
    closeToken(tokenId) {
      const set = byToken.get(tokenId);
      byToken.delete(tokenId);
      for (const close of set ?? []) close();
      return set?.size ?? 0;
    },
  };
}
