import { expect, it } from 'vitest';
import { createPresenceView, type PresenceChange } from './presence-view';

const alice = { id: 'a1', username: 'alice' };
const bob = { id: 'b2', username: 'bob' };

function watched() {
  const view = createPresenceView();
  const told: string[] = [];
  view.subscribe((c: PresenceChange) => told.push(`${c.user.username} ${c.online ? 'joined' : 'left'}`));
  return { view, told };
}

it('tells subscribers only changes: a repeated join or a leave of someone absent is not news', () => {
  const { view, told } = watched();
  view.apply(alice, true);
  view.apply(alice, true);
  view.apply(bob, false);
  expect(told).toEqual(['alice joined']);
  expect(view.snapshot()).toEqual([alice]);
});

it('repairs lost events from the truth: joins and leaves it never heard of', () => {
  const { view, told } = watched();
  view.apply(alice, true);
  view.settle(view.beginRead(), [bob]);
  expect(told).toEqual(['alice joined', 'alice left', 'bob joined']);
  expect(view.snapshot()).toEqual([bob]);
});

it('keeps an event that arrives while a read is in flight over the older read', () => {
  const { view, told } = watched();
  const readAt = view.beginRead();
  // The read saw neither; these events came after it began.
  view.apply(alice, true);
  view.apply(bob, true);
  view.apply(bob, false);
  view.settle(readAt, []);
  expect(view.snapshot()).toEqual([alice]);
  expect(told).toEqual(['alice joined', 'bob joined', 'bob left']);
  // The next read is newer than those events and decides.
  view.settle(view.beginRead(), [bob]);
  expect(view.snapshot()).toEqual([bob]);
});

it('ends equal to the truth after any interleaving of events and one read that follows them', () => {
  const users = Array.from({ length: 6 }, (_, i) => ({ id: `u${i}`, username: `user${i}` }));
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let round = 0; round < 200; round++) {
    const view = createPresenceView();
    // A subscriber that joined at some point: its snapshot plus the changes after it.
    let mirror: Map<string, boolean> | null = null;
    view.subscribe((c) => mirror?.set(c.user.id, c.online));
    let readAt = view.beginRead();
    for (let step = 0; step < 30; step++) {
      const r = random();
      if (r < 0.6) view.apply(users[Math.floor(random() * users.length)]!, random() < 0.5);
      else if (r < 0.8) {
        view.settle(readAt, users.filter(() => random() < 0.5));
        readAt = view.beginRead();
      }
      if (!mirror && random() < 0.2) mirror = new Map(view.snapshot().map((u) => [u.id, true]));
    }
    const truth = users.filter(() => random() < 0.5);
    view.settle(view.beginRead(), truth);
    expect(view.snapshot().map((u) => u.id).sort()).toEqual(truth.map((u) => u.id).sort());
    if (mirror) expect([...mirror].filter(([, on]) => on).map(([id]) => id).sort()).toEqual(truth.map((u) => u.id).sort());
  }
});
