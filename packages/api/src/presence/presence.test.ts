import { expect, it } from 'vitest';
import { createInProcessBus, type LiveEvent } from '../bus/event-bus';
import { createMemoryPresence } from './presence';

const alice = { id: 'a1', username: 'alice' };
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function watch() {
  const bus = createInProcessBus();
  const events: string[] = [];
  bus.subscribe((e: LiveEvent) => {
    if (e.type === 'presence') events.push(`${e.user.username} ${e.online ? 'joined' : 'left'}`);
  });
  return { bus, events };
}

it('counts several sockets of one user once', async () => {
  const { bus, events } = watch();
  const presence = createMemoryPresence(bus, 20);
  presence.connected(alice);
  presence.connected(alice);
  presence.disconnected(alice);
  await wait(50);
  expect(events).toEqual(['alice joined']);
  expect(await presence.online()).toEqual([alice]);
  presence.disconnected(alice);
  await wait(50);
  expect(events).toEqual(['alice joined', 'alice left']);
  expect(await presence.onlineAmong(['a1'])).toEqual(new Set());
});

it('does not announce a leave and a join for a reconnect within the grace period', async () => {
  const { bus, events } = watch();
  const presence = createMemoryPresence(bus, 100);
  presence.connected(alice);
  presence.disconnected(alice);
  await wait(30);
  presence.connected(alice);
  await wait(150);
  expect(events).toEqual(['alice joined']);
  expect(await presence.onlineAmong(['a1', 'b2'])).toEqual(new Set(['a1']));
});
