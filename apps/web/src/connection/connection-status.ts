export type ConnectionStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'reconnecting'; attempt: number; nextRetryAt: number | null }
  | { kind: 'offline'; reason: 'browser-offline' | 'closed' };

/** What the WebSocket client and the browser report, gathered in one place. */
export interface ConnectionFacts {
  /** tRPC's connectionState: idle (closed), connecting, pending (open and authenticated). */
  socket: 'idle' | 'connecting' | 'pending';
  /** The last connecting state carried an error, i.e. a connection was lost or refused. */
  lostConnection: boolean;
  browserOnline: boolean;
  attempt: number;
  nextRetryAt: number | null;
}

export function deriveStatus(f: ConnectionFacts): ConnectionStatus {
  if (!f.browserOnline) return { kind: 'offline', reason: 'browser-offline' };
  switch (f.socket) {
    case 'pending':
      return { kind: 'connected' };
    case 'idle':
      return { kind: 'offline', reason: 'closed' };
    case 'connecting':
      return f.lostConnection ? { kind: 'reconnecting', attempt: f.attempt, nextRetryAt: f.nextRetryAt } : { kind: 'connecting' };
  }
}

/**
 * Quick first retry, then doubling up to 10 s: a restarting server is back within seconds,
 * a long outage is not hammered.
 */
export function reconnectDelayMs(attempt: number): number {
  return attempt === 0 ? 250 : Math.min(1000 * 2 ** (attempt - 1), 10_000);
}

export function sameStatus(a: ConnectionStatus, b: ConnectionStatus): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A short line for the indicator; `now` lets the countdown tick. */
export function describeStatus(status: ConnectionStatus, now: number): string {
  switch (status.kind) {
    case 'connected':
      return 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'offline':
      return status.reason === 'browser-offline' ? 'Offline: no network' : 'Offline';
    case 'reconnecting': {
      if (status.nextRetryAt === null) return 'Reconnecting…';
      const seconds = Math.ceil((status.nextRetryAt - now) / 1000);
      return seconds > 0 ? `Reconnecting · retry in ${seconds}s` : 'Reconnecting · trying now…';
    }
  }
}
