import { expect, it } from 'vitest';
import { BufferedSubscription } from './buffered-subscription';

/** A source the test pushes into by hand. */
function source() {
  const listeners = new Set<(n: number) => void>();
  return {
    emit: (n: number) => listeners.forEach((l) => l(n)),
    subscribe: (l: (n: number) => void) => (listeners.add(l), () => void listeners.delete(l)),
    listeners,
  };
}

it('buffers before the first read, then hands items to a waiting reader in order', async () => {
  const s = source();
  const live = new BufferedSubscription(s.subscribe, 10, new AbortController().signal);
  s.emit(1);
  expect(await live.next()).toBe(1);
  const waiting = live.next();
  s.emit(2);
  s.emit(3);
  expect(await waiting).toBe(2);
  expect(await live.next()).toBe(3);
});

it('past its bound it drops items, drains what it kept, then reports the overflow with null', async () => {
  const s = source();
  const live = new BufferedSubscription(s.subscribe, 2, new AbortController().signal);
  [1, 2, 3].forEach(s.emit);
  expect(live.overflowed).toBe(true);
  expect([await live.next(), await live.next(), await live.next()]).toEqual([1, 2, null]);
  live.clearOverflow();
  s.emit(4);
  expect(await live.next()).toBe(4);
});

it('ends a waiting read with null on abort or close, and stops listening on close', async () => {
  const controller = new AbortController();
  const s = source();
  const aborted = new BufferedSubscription(s.subscribe, 2, controller.signal);
  const read = aborted.next();
  controller.abort();
  expect(await read).toBeNull();
  const closed = new BufferedSubscription(s.subscribe, 2, new AbortController().signal);
  const pending = closed.next();
  closed.close();
  aborted.close();
  expect(await pending).toBeNull();
  expect(s.listeners.size).toBe(0);
});
