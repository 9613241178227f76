// Which room each device of a user is looking at (docs/decisions/150-focus-reports.md). The web reports
// the room its focused tab shows, and again every FOCUS_REFRESH_MS while it stays focused; a report
// older than FOCUS_TTL_MS counts as none, so a device that vanished (closed lid, lost network) stops
// silencing pushes within a minute and a half. Every instance keeps the same map from the bus.

/** How often a focused tab repeats its report. */
export const FOCUS_REFRESH_MS = 30_000;
/** How long one report holds. */
export const FOCUS_TTL_MS = 90_000;

export interface FocusReport {
  userId: string;
  /** The device: its session. */
  sessionId: string;
  /** Null: this device looks at no room (hidden, blurred, logged out). */
  roomId: string | null;
  /** When it was reported, ms since the epoch. */
  at: number;
}

export function createFocusTracker(ttlMs = FOCUS_TTL_MS) {
  const byUser = new Map<string, Map<string, { roomId: string; at: number }>>();
  return {
    report({ userId, sessionId, roomId, at }: FocusReport): void {
      let devices = byUser.get(userId);
      if (roomId === null) {
        devices?.delete(sessionId);
        if (devices?.size === 0) byUser.delete(userId);
        return;
      }
      if (!devices) byUser.set(userId, (devices = new Map()));
      devices.set(sessionId, { roomId, at });
    },
    /** A device of `userId` has shown `roomId` in a focused tab within the TTL. */
    isWatching(userId: string, roomId: string, now = Date.now()): boolean {
      const devices = byUser.get(userId);
      if (!devices) return false;
      let watching = false;
      for (const [sessionId, focus] of devices) {
        if (now - focus.at > ttlMs) devices.delete(sessionId);
        else if (focus.roomId === roomId) watching = true;
      }
      if (devices.size === 0) byUser.delete(userId);
      return watching;
    },
    /** Forget the devices of ended sessions. */
    forgetSessions(sessionIds: readonly string[]): void {
      const ended = new Set(sessionIds);
      for (const [userId, devices] of byUser) {
        for (const sessionId of devices.keys()) if (ended.has(sessionId)) devices.delete(sessionId);
        if (devices.size === 0) byUser.delete(userId);
      }
    },
    size: () => byUser.size,
  };
}
export type FocusTracker = ReturnType<typeof createFocusTracker>;
