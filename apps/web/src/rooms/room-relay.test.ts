import { describe, expect, it } from 'vitest';
import type { MessageChangeEvent, RoomMessage } from '../api/room-types';
import { HELD_MAX, RoomRelay, type RoomSink } from './room-relay';

const message = (roomId: string, id: string) => ({ id, roomId, text: `m${id}` }) as unknown as RoomMessage;
const edit = (roomId: string, id: string) => ({ type: 'message.edited', roomId, eventId: id, message: message(roomId, id) }) as unknown as MessageChangeEvent;

function recorder(roomId: string) {
  const seen: string[] = [];
  const sink: RoomSink = {
    roomId,
    receive: (m) => seen.push(`receive ${m.id}`),
    change: (e) => seen.push(`${e.type} ${'message' in e ? e.message.id : ''}`),
  };
  return { sink, seen };
}

describe('RoomRelay', () => {
  it('hands what came for a room before its timeline mounted to that timeline, in order, once', () => {
    const relay = new RoomRelay();
    relay.message(message('a', '1'));
    relay.message(message('b', '2'));
    relay.change(edit('a', '1'));
    const a = recorder('a');
    const detach = relay.attach(a.sink);
    expect(a.seen).toEqual(['receive 1', 'message.edited 1']);
    relay.message(message('a', '3'));
    expect(a.seen).toEqual(['receive 1', 'message.edited 1', 'receive 3']);
    expect(relay.openRoomId).toBe('a');
    // Another room's is still held; the room's own is not handed twice.
    detach();
    expect(relay.openRoomId).toBe(null);
    const again = recorder('a');
    relay.attach(again.sink);
    expect(again.seen).toEqual([]);
    expect(relay.heldCount).toBe(1);
  });

  it('holds what comes for other rooms while one is open, and nothing of the open one', () => {
    const relay = new RoomRelay();
    const a = recorder('a');
    const detachA = relay.attach(a.sink);
    relay.message(message('a', '1'));
    relay.message(message('b', '2'));
    expect(relay.heldCount).toBe(1);
    const b = recorder('b');
    relay.attach(b.sink);
    expect(b.seen).toEqual(['receive 2']);
    // A stale detach (the first view's, run late) leaves the second attached.
    detachA();
    relay.message(message('b', '3'));
    expect(b.seen).toEqual(['receive 2', 'receive 3']);
  });

  it(`keeps the newest ${HELD_MAX} items over all rooms`, () => {
    const relay = new RoomRelay();
    for (let i = 1; i <= HELD_MAX + 5; i++) relay.message(message(i % 2 ? 'a' : 'b', String(i)));
    expect(relay.heldCount).toBe(HELD_MAX);
    const a = recorder('a');
    relay.attach(a.sink);
    expect(a.seen[0]).toBe('receive 7');
    expect(a.seen.at(-1)).toBe(`receive ${HELD_MAX + 5}`);
  });
});
