import type { ChatEvent, ChatMessage, Room, RoomListItem } from '@chat/api';
import { describe, expect, it } from 'vitest';
import { applyEvent, fromRoomList, fromSnapshot, loadRoom, markRead, roomList, type RoomState } from './room-state';

const T0 = '2026-01-01T00:00:00.000Z';
const ME = { id: 'u-me', username: 'me' };
const BOB = { id: 'u-bob', username: 'bob' };
const CAROL = { id: 'u-carol', username: 'carol' };

const room = (id: string, over: Partial<Room> = {}): Room => ({
  id,
  kind: 'channel',
  name: id,
  topic: null,
  peer: null,
  createdBy: BOB.id,
  memberCount: 2,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const row = (id: string, over: Partial<RoomListItem> = {}): RoomListItem => ({
  ...room(id),
  unread: 0,
  mentions: 0,
  lastReadMessageId: null,
  lastMessageId: null,
  lastActivityAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const msg = (id: number, author = BOB, second = id): ChatMessage => ({
  id: String(id),
  text: `m${id}`,
  createdAt: `2026-01-02T00:00:${String(second).padStart(2, '0')}.000Z`,
  author,
  clientMessageId: null,
});
const created = (eventId: number, roomId: string, m: ChatMessage): ChatEvent => ({ type: 'message.created', eventId: String(eventId), roomId, message: { ...m, roomId } });

const snapshot = (): RoomState =>
  fromSnapshot(ME.id, '10', [
    { row: row('a', { unread: 1, lastMessageId: '2', lastActivityAt: msg(2).createdAt }), messages: [msg(2), msg(1, ME)], complete: true, members: [ME.id, BOB.id] },
    { row: row('b'), messages: [], complete: true },
  ]);

const apply = (state: RoomState, events: ChatEvent[]) => events.reduce(applyEvent, state);

describe('room state', () => {
  it('lists the snapshot as room.list did: unread derived from messages and read position, newest activity first', () => {
    const list = roomList(snapshot());
    expect(list.map((r) => [r.id, r.unread, r.lastMessageId])).toEqual([
      ['a', 1, '2'],
      ['b', 0, null],
    ]);
  });

  it('counts a new message by someone else as unread and moves its room to the top; its own message does not count', () => {
    const state = apply(snapshot(), [created(11, 'b', msg(3, BOB, 30)), created(12, 'b', msg(4, ME, 31))]);
    expect(roomList(state)[0]).toMatchObject({ id: 'b', unread: 1, lastMessageId: '4', lastActivityAt: msg(4, ME, 31).createdAt });
  });

  it('applies each event once however often it arrives, and takes events the snapshot already has as no change', () => {
    const events = [created(11, 'a', msg(2)), created(12, 'a', msg(3)), { type: 'read.updated', eventId: '13', roomId: 'a', messageId: '3', unread: 0, mentions: 0 } as const];
    const once = apply(snapshot(), events);
    // The same events again (a resubscription that overlaps) and a fresh state fed them twice.
    expect(apply(once, events)).toEqual(once);
    expect(roomList(apply({ ...snapshot(), cursor: null }, [...events, ...events]))).toEqual(roomList(once));
    expect(roomList(once)[0]).toMatchObject({ id: 'a', unread: 0, lastReadMessageId: '3' });
  });

  it('keeps members as a set, so a join or leave the snapshot already has does not change the count', () => {
    const state = apply(snapshot(), [
      { type: 'room.joined', eventId: '11', roomId: 'a', user: BOB, room: room('a', { memberCount: 2 }), by: null, lastMessageId: null, lastActivityAt: T0 },
      { type: 'room.joined', eventId: '12', roomId: 'a', user: CAROL, room: room('a', { memberCount: 3 }), by: null, lastMessageId: null, lastActivityAt: T0 },
      { type: 'room.left', eventId: '13', roomId: 'a', user: BOB, by: null, memberCount: 2 },
    ]);
    expect(state.rooms.a?.members).toEqual([CAROL.id, ME.id]);
    expect(roomList(state).find((r) => r.id === 'a')?.memberCount).toBe(2);
  });

  it('renames and retopics from room.updated, and drops a room the caller left or was removed from', () => {
    const state = apply(snapshot(), [
      { type: 'room.updated', eventId: '11', roomId: 'b', room: room('b', { name: 'renamed', topic: 'hi' }) },
      { type: 'room.left', eventId: '12', roomId: 'a', user: ME, by: BOB, memberCount: 1 },
      created(13, 'a', msg(5)),
    ]);
    expect(roomList(state).map((r) => [r.id, r.name, r.topic])).toEqual([['b', 'renamed', 'hi']]);
  });

  it('shows a room the caller joins at once, read up to the join; holds its events until it is loaded, then applies them on top', () => {
    let state = apply(snapshot(), [
      { type: 'room.joined', eventId: '11', roomId: 'c', user: ME, room: room('c'), by: BOB, lastMessageId: '6', lastActivityAt: msg(6).createdAt },
      created(12, 'c', msg(7)),
    ]);
    expect(state.toLoad).toEqual(['c']);
    expect(roomList(state).find((r) => r.id === 'c')).toMatchObject({ unread: 0, lastReadMessageId: '6', lastActivityAt: msg(6).createdAt });
    // The load was read before message 7 was committed.
    state = loadRoom(state, { row: row('c', { lastReadMessageId: '6', lastMessageId: '6' }), messages: [msg(5), msg(6)], complete: true, members: [BOB.id, ME.id] });
    expect(state.toLoad).toEqual([]);
    expect(roomList(state).find((r) => r.id === 'c')).toMatchObject({ unread: 1, lastMessageId: '7', memberCount: 2 });
    expect(state.rooms.c?.messages.map((m) => m.id)).toEqual(['5', '6', '7']);
  });

  it('takes the activity time from the newest message even when the room row was read before it', () => {
    // room.list said "joined at T0, no message"; the history read just after already had message 7.
    const state = fromSnapshot(ME.id, '10', [{ row: row('a', { lastActivityAt: T0 }), messages: [msg(7, BOB, 40)], complete: true }]);
    expect(roomList(state)[0]?.lastActivityAt).toBe(msg(7, BOB, 40).createdAt);
    // The same through loadRoom, and with the message's event arriving after the load.
    const joined = apply(snapshot(), [{ type: 'room.joined', eventId: '11', roomId: 'c', user: ME, room: room('c'), by: BOB, lastMessageId: null, lastActivityAt: T0 }, created(12, 'c', msg(8, BOB, 41))]);
    const loaded = loadRoom(joined, { row: row('c', { lastActivityAt: T0 }), messages: [msg(8, BOB, 41)], complete: true });
    expect(roomList(loaded).find((r) => r.id === 'c')?.lastActivityAt).toBe(msg(8, BOB, 41).createdAt);
  });

  it('counts unread messages older than a partial history from room.list until a read position settles them', () => {
    let state = fromSnapshot(ME.id, '10', [{ row: row('a', { unread: 5, lastMessageId: '9' }), messages: [msg(8), msg(9)], complete: false }]);
    expect(roomList(state)[0]?.unread).toBe(5);
    state = applyEvent(state, { type: 'read.updated', eventId: '11', roomId: 'a', messageId: '8', unread: 1, mentions: 0 });
    expect(roomList(state)[0]?.unread).toBe(1);
  });

  it('flags a resync and ignores ephemeral events', () => {
    const state = snapshot();
    expect(applyEvent(state, { type: 'typing', roomId: 'a', user: BOB, typing: true })).toBe(state);
    expect(applyEvent(state, { type: 'resync', eventId: '99' })).toMatchObject({ resync: true, cursor: '99' });
  });

  it('orders ids as numbers, not as text', () => {
    const state = apply(fromSnapshot(ME.id, '9', [{ row: row('a'), messages: [], complete: true }]), [created(10, 'a', msg(10)), created(11, 'a', msg(9))]);
    expect(state.rooms.a?.messages.map((m) => m.id)).toEqual(['9', '10']);
    expect(state.cursor).toBe('11');
  });
});

describe('mentions', () => {
  const mentioning = (id: number, over: Partial<ChatMessage> = {}): ChatMessage => ({ ...msg(id), text: `hi @me ${id}`, mentions: [ME], ...over });

  it('counts unread messages by others that name the caller, as room.list does, and stops counting them when read, edited away or deleted', () => {
    let state = fromSnapshot(ME.id, '10', [{ row: row('a', { unread: 3, mentions: 2, lastMessageId: '3' }), messages: [mentioning(1), msg(2), mentioning(3)], complete: true }]);
    expect(roomList(state)[0]).toMatchObject({ unread: 3, mentions: 2 });
    state = apply(state, [
      { type: 'message.edited', eventId: '11', roomId: 'a', message: { ...msg(3), text: 'hi all', editedAt: T0, roomId: 'a' } },
      { type: 'mentions.updated', eventId: '12', roomId: 'a', mentions: 1 },
    ]);
    expect(roomList(state)[0]).toMatchObject({ unread: 3, mentions: 1 });
    state = apply(state, [
      { type: 'message.deleted', eventId: '13', roomId: 'a', messageId: '1', deleted: { at: T0, by: 'author' } },
      { type: 'mentions.updated', eventId: '14', roomId: 'a', mentions: 0 },
    ]);
    // A deleted message still counts as unread: its placeholder stays in the timeline.
    expect(roomList(state)[0]).toMatchObject({ unread: 3, mentions: 0 });
    state = apply(state, [created(15, 'a', mentioning(4)), { type: 'read.updated', eventId: '16', roomId: 'a', messageId: '3', unread: 1, mentions: 1 }]);
    expect(roomList(state)[0]).toMatchObject({ unread: 1, mentions: 1 });
  });

  it('keeps the mentions older than a partial history from room.list, mentions.updated and read.updated', () => {
    let state = fromSnapshot(ME.id, '10', [{ row: row('a', { unread: 4, mentions: 3, lastMessageId: '9', lastReadMessageId: '5' }), messages: [msg(8), mentioning(9)], complete: false }]);
    expect(roomList(state)[0]).toMatchObject({ unread: 4, mentions: 3 });
    // An older mention was edited away.
    state = applyEvent(state, { type: 'mentions.updated', eventId: '11', roomId: 'a', mentions: 2 });
    expect(roomList(state)[0]).toMatchObject({ unread: 4, mentions: 2 });
    state = applyEvent(state, { type: 'read.updated', eventId: '12', roomId: 'a', messageId: '8', unread: 1, mentions: 1 });
    expect(roomList(state)[0]).toMatchObject({ unread: 1, mentions: 1 });
  });

  it('takes a read position the snapshot already has as no change, though its counts are older than the snapshot', () => {
    // Read up to 2, then 3 and 4 arrived: the snapshot (read after both) has unread 2; the event, replayed, says 0.
    const state = fromSnapshot(ME.id, '10', [{ row: row('a', { unread: 2, mentions: 1, lastReadMessageId: '2', lastMessageId: '4' }), messages: [mentioning(4)], complete: false }]);
    const after = applyEvent(state, { type: 'read.updated', eventId: '11', roomId: 'a', messageId: '2', unread: 0, mentions: 0 });
    expect(roomList(after)[0]).toMatchObject({ unread: 2, mentions: 1 });
  });
});

// The web's sidebar keeps room.list and the stream only (no history): what its own fold did, now here.
describe('a client that keeps the room list only', () => {
  const listed = (id: string, over: Partial<RoomListItem> = {}) => row(id, { lastReadMessageId: '10', lastMessageId: '10', lastActivityAt: '2026-01-01T10:00:00.000Z', ...over });
  const list = (rows: RoomListItem[]) => fromRoomList(ME.id, '100', rows);

  it('counts another person’s new message as unread and moves its room to the top; never the caller’s own', () => {
    const state = apply(list([listed('a'), listed('b', { lastActivityAt: '2026-01-01T09:00:00.000Z' })]), [created(101, 'b', msg(11)), created(102, 'a', msg(12, ME))]);
    expect(roomList(state).map((r) => [r.id, r.unread, r.lastMessageId])).toEqual([
      ['a', 0, '12'],
      ['b', 1, '11'],
    ]);
  });

  it('takes a message at or before the row’s lastMessageId as counted already (a replay after the cursor)', () => {
    const state = list([listed('a', { unread: 2, lastMessageId: '12', lastReadMessageId: '10', lastActivityAt: msg(12).createdAt })]);
    const after = apply(state, [created(101, 'a', msg(11)), created(102, 'a', msg(12))]);
    expect(roomList(after)).toEqual(roomList(state));
    expect(roomList(after)[0]).toMatchObject({ unread: 2, lastMessageId: '12' });
  });

  it('takes the server’s counts with a newer read position and ignores one at or behind the held one', () => {
    const state = list([listed('a', { unread: 3, mentions: 1, lastReadMessageId: '10', lastMessageId: '13' })]);
    expect(roomList(applyEvent(state, { type: 'read.updated', eventId: '101', roomId: 'a', messageId: '12', unread: 1, mentions: 0 }))[0]).toMatchObject({ unread: 1, mentions: 0, lastReadMessageId: '12' });
    expect(roomList(applyEvent(state, { type: 'read.updated', eventId: '101', roomId: 'a', messageId: '9', unread: 4, mentions: 0 }))[0]).toMatchObject({ unread: 3, lastReadMessageId: '10' });
  });

  it('shows a room the caller joins as read up to the join, with nothing to load, and counts what follows', () => {
    const joined = apply(list([listed('a')]), [
      { type: 'room.joined', eventId: '101', roomId: 'n', user: ME, room: room('n', { kind: 'private', memberCount: 3 }), by: BOB, lastMessageId: '40', lastActivityAt: '2026-01-05T00:00:00.000Z' },
      created(102, 'n', msg(39)),
      created(103, 'n', msg(41)),
    ]);
    expect(joined.toLoad).toEqual([]);
    expect(roomList(joined).map((r) => [r.id, r.unread, r.lastReadMessageId, r.lastMessageId, r.memberCount])).toEqual([
      ['n', 1, '40', '41', 3],
      ['a', 0, '10', '10', 2],
    ]);
  });

  it('takes mentions from mentions.updated and read.updated', () => {
    let state = list([listed('a', { unread: 2, lastMessageId: '13' })]);
    state = applyEvent(state, { type: 'mentions.updated', eventId: '101', roomId: 'a', mentions: 2 });
    expect(roomList(state)[0]?.mentions).toBe(2);
    state = applyEvent(state, { type: 'read.updated', eventId: '102', roomId: 'a', messageId: '13', unread: 0, mentions: 0 });
    expect(roomList(state)[0]).toMatchObject({ unread: 0, mentions: 0 });
  });

  it('leaves the counts alone for edits, deletes and reactions of messages it does not hold', () => {
    const state = list([listed('a', { unread: 1 })]);
    const after = applyEvent(state, { type: 'message.deleted', eventId: '101', roomId: 'a', messageId: '10', deleted: { at: T0, by: 'author' } });
    expect(roomList(after)).toEqual(roomList(state));
  });
});

describe('markRead (the caller read the open room here, before read.updated comes back)', () => {
  it('clears the counts when read to the newest message, and never moves the position back', () => {
    const state = fromRoomList(ME.id, '100', [row('a', { unread: 2, mentions: 1, lastReadMessageId: '10', lastMessageId: '12' })]);
    expect(roomList(markRead(state, 'a', '12'))[0]).toMatchObject({ unread: 0, mentions: 0, lastReadMessageId: '12' });
    expect(markRead(state, 'a', '9')).toBe(state);
    expect(markRead(state, 'a', '10')).toBe(state);
  });

  it('keeps the row’s counts for a read that stops inside what the row counted, and counts held messages after it', () => {
    let state = fromRoomList(ME.id, '100', [row('a', { unread: 3, mentions: 1, lastReadMessageId: '10', lastMessageId: '13' })]);
    expect(roomList(markRead(state, 'a', '12'))[0]).toMatchObject({ unread: 3, mentions: 1 });
    state = apply(state, [created(101, 'a', msg(14)), created(102, 'a', msg(15))]);
    expect(roomList(markRead(state, 'a', '14'))[0]).toMatchObject({ unread: 1, mentions: 0, lastReadMessageId: '14' });
  });

  it('then takes the server’s read.updated for the same position as no change', () => {
    const state = markRead(fromRoomList(ME.id, '100', [row('a', { unread: 2, lastReadMessageId: '10', lastMessageId: '12' })]), 'a', '12');
    const after = applyEvent(state, { type: 'read.updated', eventId: '101', roomId: 'a', messageId: '12', unread: 0, mentions: 0 });
    expect(roomList(after)).toEqual(roomList(state));
  });
});

describe('a read position past everything the older counts hold', () => {
  it('leaves nothing older unread, though the server’s mentions.updated was counted against its older position', () => {
    // Read here up to 12 (room.markRead on its way); a mention in 12 made the server count 1 meanwhile.
    let state = markRead(fromRoomList(ME.id, '100', [row('a', { unread: 2, mentions: 0, lastReadMessageId: '10', lastMessageId: '12' })]), 'a', '12');
    state = applyEvent(state, { type: 'mentions.updated', eventId: '101', roomId: 'a', mentions: 1 });
    expect(roomList(state)[0]).toMatchObject({ unread: 0, mentions: 0 });
  });
});

describe('a list-only state lets read messages go', () => {
  it('holds only what is unread, and a replay of a message let go changes nothing', () => {
    let state = apply(fromRoomList(ME.id, '100', [row('a', { lastReadMessageId: '10', lastMessageId: '10' })]), [created(101, 'a', msg(11)), created(102, 'a', msg(12)), created(103, 'a', msg(13))]);
    expect(roomList(state)[0]).toMatchObject({ unread: 3 });
    state = applyEvent(state, { type: 'read.updated', eventId: '104', roomId: 'a', messageId: '12', unread: 1, mentions: 0 });
    expect(state.rooms.a?.messages.map((m) => m.id)).toEqual(['13']);
    expect(roomList(state)[0]).toMatchObject({ unread: 1, lastReadMessageId: '12', lastMessageId: '13' });
    state = markRead(state, 'a', '13');
    expect(state.rooms.a?.messages).toEqual([]);
    // A resumed stream replays 11 (a client that resubscribed from an older id): still nothing unread.
    const replayed = applyEvent({ ...state, cursor: '100' }, created(101, 'a', msg(11)));
    expect(roomList(replayed)[0]).toMatchObject({ unread: 0, lastMessageId: '13' });
  });

  it('keeps every message in a state with history', () => {
    const state = apply(snapshot(), [created(11, 'a', msg(3)), { type: 'read.updated', eventId: '12', roomId: 'a', messageId: '3', unread: 0, mentions: 0 }]);
    expect(state.rooms.a?.messages.map((m) => m.id)).toEqual(['1', '2', '3']);
  });
});

describe('group DMs (docs/decisions/153)', () => {
  it('a group converted into a private room loses `group`, and a join renames the group', () => {
    const members = [ME, BOB];
    const group = (over: Partial<Room> = {}) => room('g', { kind: 'private', name: 'bob', createdBy: null, group: { members }, ...over });
    const state = fromRoomList(ME.id, '1', [{ ...row('g'), ...group() }]);
    const joined = applyEvent(state, {
      type: 'room.joined',
      eventId: '2',
      roomId: 'g',
      user: CAROL,
      room: group({ name: 'bob, carol', memberCount: 3, group: { members: [...members, CAROL] } }),
      by: BOB,
      lastMessageId: null,
      lastActivityAt: T0,
    });
    expect(roomList(joined)[0]).toMatchObject({ name: 'bob, carol', group: { members: [ME, BOB, CAROL] } });
    const converted = applyEvent(joined, { type: 'room.updated', eventId: '3', roomId: 'g', room: room('g', { kind: 'private', name: 'plans', createdBy: BOB.id, memberCount: 3 }) });
    const item = roomList(converted)[0]!;
    expect(item).toMatchObject({ name: 'plans', createdBy: BOB.id, kind: 'private' });
    expect('group' in item).toBe(false);
  });
});
