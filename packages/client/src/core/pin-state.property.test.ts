import type { ChatEvent, Pin, RoomMessage, UserRef } from '@chat/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ME, time, userArb, USERS } from './event-model.test-helpers';
import { applyPinEvent, fromPins, isPinned } from './pin-state';
import { applyEvent, fromSnapshot } from './room-state';

// "Applying equals fetching" for pinned messages (docs/decisions/154-pinned-messages.md), against a
// model of the server written from the contract: sends, edits, deletes, pins and unpins by three
// users, refused ones included (a deleted message, a pin already there, a full list). chat.pins read
// at any moment after its cursor, plus the events after the cursor (each message rendered as it is
// at the end, as a replay renders it), equals a fresh chat.pins.

const ROOM = 'r';
/** Small, so the cap is reached and refuses. */
const CAP = 4;

interface Msg {
  id: string;
  author: UserRef;
  text: string;
  createdAt: string;
  editedAt: string | null;
  deleted: { at: string; by: 'author' } | null;
}
interface ModelPin {
  messageId: string;
  pinnedBy: UserRef;
  pinnedAt: string;
}
interface Model {
  messages: Msg[];
  pins: ModelPin[];
  /** Each event, rendered from the model as it is at the end. */
  events: ((end: Model) => ChatEvent)[];
  seq: number;
}

type Op =
  | { kind: 'send'; by: number }
  | { kind: 'edit'; msg: number }
  | { kind: 'delete'; msg: number }
  | { kind: 'pin' | 'unpin'; by: number; msg: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), by: userArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('edit' as const), msg: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), msg: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom('pin' as const, 'unpin' as const), by: userArb, msg: fc.nat() }) },
);

const clone = (m: Model): Model => ({ messages: m.messages.map((x) => ({ ...x })), pins: m.pins.map((p) => ({ ...p })), events: [...m.events], seq: m.seq });
const byId = (m: Model, id: string) => m.messages.find((x) => x.id === id)!;

function render(x: Msg): RoomMessage {
  const out: RoomMessage = { id: x.id, text: x.text, createdAt: x.createdAt, author: x.author, clientMessageId: null, roomId: ROOM };
  if (x.editedAt) out.editedAt = x.editedAt;
  return x.deleted ? { ...out, text: '', deleted: x.deleted } : out;
}

/** chat.pins: newest pin first, ties by the larger message id. */
function pinsOf(m: Model): Pin[] {
  return [...m.pins]
    .sort((a, b) => (a.pinnedAt < b.pinnedAt ? 1 : a.pinnedAt > b.pinnedAt ? -1 : Number(b.messageId) - Number(a.messageId)))
    .map((p) => ({ message: render(byId(m, p.messageId)), pinnedBy: p.pinnedBy, pinnedAt: p.pinnedAt }));
}

function step(prev: Model, op: Op, i: number): Model {
  const m = clone(prev);
  // Two ops a second: pins of the same second are ordered by message id.
  const t = Math.floor(i / 2) + 1;
  const target = 'msg' in op ? m.messages[op.msg % Math.max(1, m.messages.length)] : undefined;
  const eventId = () => String(++m.seq);
  switch (op.kind) {
    case 'send': {
      const x: Msg = { id: String(1000 + m.messages.length), author: USERS[op.by]!, text: `m${i}`, createdAt: time(t), editedAt: null, deleted: null };
      m.messages.push(x);
      const id = eventId();
      m.events.push((end) => ({ type: 'message.created', eventId: id, roomId: ROOM, message: render(byId(end, x.id)) }));
      return m;
    }
    case 'edit': {
      if (!target || target.deleted) return prev;
      Object.assign(target, { text: `${target.text}, edited ${i}`, editedAt: time(t) });
      const id = eventId();
      m.events.push((end) => ({ type: 'message.edited', eventId: id, roomId: ROOM, message: render(byId(end, target.id)) }));
      return m;
    }
    case 'delete': {
      if (!target || target.deleted) return prev;
      target.deleted = { at: time(t), by: 'author' };
      m.pins = m.pins.filter((p) => p.messageId !== target.id);
      const id = eventId();
      const deleted = target.deleted;
      m.events.push(() => ({ type: 'message.deleted', eventId: id, roomId: ROOM, messageId: target.id, deleted }));
      return m;
    }
    case 'pin': {
      if (!target || target.deleted || m.pins.some((p) => p.messageId === target.id) || m.pins.length >= CAP) return prev;
      const pin = { messageId: target.id, pinnedBy: USERS[op.by]!, pinnedAt: time(t) };
      m.pins.push(pin);
      const id = eventId();
      m.events.push((end) => ({ type: 'message.pinned', eventId: id, roomId: ROOM, pin: { message: render(byId(end, target.id)), pinnedBy: pin.pinnedBy, pinnedAt: pin.pinnedAt } }));
      return m;
    }
    case 'unpin': {
      if (!target || !m.pins.some((p) => p.messageId === target.id)) return prev;
      m.pins = m.pins.filter((p) => p.messageId !== target.id);
      const id = eventId();
      const by = USERS[op.by]!;
      m.events.push(() => ({ type: 'message.unpinned', eventId: id, roomId: ROOM, messageId: target.id, by }));
      return m;
    }
  }
}

interface Scenario {
  ops: Op[];
  cursorAt: number;
  readDelay: number;
}

function check({ ops, cursorAt, readDelay }: Scenario) {
  const states: Model[] = [{ messages: [], pins: [], events: [], seq: 0 }];
  ops.forEach((op, i) => states.push(step(states.at(-1)!, op, i)));
  const end = states.at(-1)!;
  const at = cursorAt % states.length;
  const cursorState = states[at]!;
  // chat.pins read at some moment after the cursor: it may already show later changes.
  const read = states[Math.min(states.length - 1, at + readDelay)]!;
  const cursor = cursorState.seq === 0 ? null : String(cursorState.seq);
  let state = fromPins(ME.id, ROOM, cursor, pinsOf(read));
  const stream = end.events.map((render) => render(end));
  // The whole stream goes by: events up to the cursor (a replay's overlap) must change nothing.
  for (const event of stream) state = applyPinEvent(state, event);
  expect(state.pins).toEqual(pinsOf(end));
  expect(state.stale).toBe(false);
}

describe('pinned list against a model of the server', () => {
  it('chat.pins read after its cursor plus the events after the cursor equals a fresh chat.pins', () => {
    const scenario: fc.Arbitrary<Scenario> = fc.record({ ops: fc.array(opArb, { minLength: 1, maxLength: 40 }), cursorAt: fc.nat(), readDelay: fc.nat({ max: 8 }) });
    fc.assert(
      fc.property(scenario, (s) => check(s)),
      { numRuns: Number(process.env.ROOM_STATE_RUNS ?? 300) },
    );
  });

  it('a pin replayed onto a snapshot taken after its unpin ends unpinned', () => {
    const ops: Op[] = [{ kind: 'send', by: 1 }, { kind: 'pin', by: 1, msg: 0 }, { kind: 'unpin', by: 2, msg: 0 }];
    check({ ops, cursorAt: 1, readDelay: 5 });
  });

  it('a deleted message leaves the list, and its pin is not brought back by a replay', () => {
    const ops: Op[] = [{ kind: 'send', by: 1 }, { kind: 'pin', by: 0, msg: 0 }, { kind: 'edit', msg: 0 }, { kind: 'delete', msg: 0 }];
    check({ ops, cursorAt: 0, readDelay: 0 });
    check({ ops, cursorAt: 2, readDelay: 9 });
  });
});

describe('pin events and other folds', () => {
  const pinned: ChatEvent = {
    type: 'message.pinned',
    eventId: '5',
    roomId: ROOM,
    pin: { message: { id: '9', text: 'x', createdAt: time(1), author: ME, clientMessageId: null, roomId: ROOM }, pinnedBy: ME, pinnedAt: time(2) },
  };

  it('the room fold, which a client written before pins also runs, leaves its rooms as they were', () => {
    const rooms = fromSnapshot(ME.id, '1', [
      {
        row: { id: ROOM, kind: 'private', name: 'r', topic: null, peer: null, createdBy: null, memberCount: 1, createdAt: time(0), unread: 0, lastReadMessageId: null, lastMessageId: null, lastActivityAt: time(0), mentions: 0 },
        messages: [],
        complete: true,
      },
    ]);
    const after = applyEvent(rooms, pinned);
    expect(after.rooms).toBe(rooms.rooms);
    expect(after.cursor).toBe('5');
  });

  it('another room’s pin, a rejoin and a resync', () => {
    const state = fromPins(ME.id, 'other', null, []);
    expect(applyPinEvent(state, pinned).pins).toEqual([]);
    const mine = applyPinEvent(fromPins(ME.id, ROOM, null, []), pinned);
    expect(isPinned(mine, '9')).toBe(true);
    expect(applyPinEvent(mine, { type: 'resync', eventId: '6' }).stale).toBe(true);
    expect(applyPinEvent(mine, { type: 'room.left', eventId: '6', roomId: ROOM, user: ME, by: null, memberCount: 0 }).pins).toEqual([]);
  });
});
