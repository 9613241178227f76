// @vitest-environment happy-dom
import type { TRPCWebSocketClient } from '@trpc/client';
import { behaviorSubject } from '@trpc/server/observable';
import { describe, expect, it } from 'vitest';
import { createConnectionMonitor } from './connection-monitor';

type State = TRPCWebSocketClient['connectionState'] extends { get(): infer S } ? S : never;

const fakeClient = () => {
  const connectionState = behaviorSubject<State>({ type: 'state', state: 'connecting', error: null });
  return { client: { connectionState } as unknown as TRPCWebSocketClient, connectionState };
};

describe('createConnectionMonitor', () => {
  it('follows the socket through connect, loss, retry and recovery', () => {
    let now = 1_000;
    const monitor = createConnectionMonitor({ now: () => now, online: () => true });
    const { client, connectionState } = fakeClient();
    monitor.attach(client);
    const seen: string[] = [];
    monitor.subscribe(() => seen.push(monitor.getSnapshot().kind));

    expect(monitor.getSnapshot()).toEqual({ kind: 'connecting' });
    connectionState.next({ type: 'state', state: 'pending', error: null });
    connectionState.next({ type: 'state', state: 'connecting', error: new Error('closed') as never });
    expect(monitor.retryDelayMs(1)).toBe(1000);
    expect(monitor.getSnapshot()).toEqual({ kind: 'reconnecting', attempt: 1, nextRetryAt: 2_000 });
    now = 5_000;
    connectionState.next({ type: 'state', state: 'pending', error: null });
    expect(monitor.getSnapshot()).toEqual({ kind: 'connected' });
    expect(seen).toEqual(['connected', 'reconnecting', 'reconnecting', 'connected']);
  });

  it('reports offline when the browser loses its network', () => {
    const monitor = createConnectionMonitor({ now: () => 0, online: () => true });
    const { client } = fakeClient();
    monitor.attach(client);
    window.dispatchEvent(new Event('offline'));
    expect(monitor.getSnapshot()).toEqual({ kind: 'offline', reason: 'browser-offline' });
    window.dispatchEvent(new Event('online'));
    expect(monitor.getSnapshot()).toEqual({ kind: 'connecting' });
  });
});
