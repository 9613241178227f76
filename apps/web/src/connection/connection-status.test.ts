import { describe, expect, it } from 'vitest';
import { type ConnectionFacts, deriveStatus, describeStatus, reconnectDelayMs } from './connection-status';

const facts = (over: Partial<ConnectionFacts>): ConnectionFacts => ({
  socket: 'connecting',
  lostConnection: false,
  browserOnline: true,
  attempt: 0,
  nextRetryAt: null,
  ...over,
});

describe('deriveStatus', () => {
  it('is connecting on first open and connected once the socket is accepted', () => {
    expect(deriveStatus(facts({}))).toEqual({ kind: 'connecting' });
    expect(deriveStatus(facts({ socket: 'pending' }))).toEqual({ kind: 'connected' });
  });

  it('is reconnecting, with the next retry, after a connection was lost', () => {
    expect(deriveStatus(facts({ lostConnection: true, attempt: 2, nextRetryAt: 5000 }))).toEqual({ kind: 'reconnecting', attempt: 2, nextRetryAt: 5000 });
  });

  it('is offline when the browser has no network or the client was closed', () => {
    expect(deriveStatus(facts({ browserOnline: false, socket: 'pending' }))).toEqual({ kind: 'offline', reason: 'browser-offline' });
    expect(deriveStatus(facts({ socket: 'idle' }))).toEqual({ kind: 'offline', reason: 'closed' });
  });
});

describe('describeStatus', () => {
  it('counts down to the next retry', () => {
    const status = { kind: 'reconnecting', attempt: 3, nextRetryAt: 10_000 } as const;
    expect(describeStatus(status, 6_500)).toBe('Reconnecting · retry in 4s');
    expect(describeStatus(status, 10_000)).toBe('Reconnecting · trying now…');
  });
});

describe('reconnectDelayMs', () => {
  it('retries fast first, then backs off to a cap', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map(reconnectDelayMs)).toEqual([250, 1000, 2000, 4000, 8000, 10000, 10000]);
  });
});
