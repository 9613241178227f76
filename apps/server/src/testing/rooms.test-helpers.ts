import type { ChatEvent } from '@chat/api';
import { TRPCClientError } from '@trpc/client';
import type { TestClient } from './test-client';

/** The tRPC error code a call fails with, 'resolved' if it does not. */
export const codeOf = async (call: () => Promise<unknown>) =>
  call().then(
    () => 'resolved',
    (e: unknown) => (e instanceof TRPCClientError ? (e.data?.code as string) : 'not a tRPC error'),
  );

/** A chat.onEvent subscription whose items (tracked id and event) tests can poll. */
export function watchEvents(client: TestClient, lastEventId?: string, opts: { threads?: boolean } = {}) {
  const items: { id: string; data: ChatEvent }[] = [];
  const errors: unknown[] = [];
  const input = lastEventId === undefined && opts.threads === undefined ? undefined : { ...(lastEventId === undefined ? {} : { lastEventId }), ...(opts.threads === undefined ? {} : { threads: opts.threads }) };
  const sub = client.trpc.chat.onEvent.subscribe(input, {
    onData: (e) => items.push({ id: e.id, data: e.data }),
    onError: (e) => errors.push(e),
  });
  const durable = () => items.map((i) => i.data).filter((d) => d.type !== 'presence.snapshot' && d.type !== 'presence.changed' && d.type !== 'typing');
  return { items, errors, durable, stop: () => sub.unsubscribe() };
}

/** Lets a subscription's socket open and its stream register before the test acts. */
export const settle = () => new Promise((r) => setTimeout(r, 300));
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let counter = 0;
/** A room name no other test uses. */
export const roomName = (prefix = 'room') => `${prefix}-${Date.now().toString(36).slice(-5)}${counter++}`;
