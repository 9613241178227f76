import type { DurableEvent, Room, RoomListItem } from './room-types';
import { describe, expect, it } from 'vitest';
import { msg } from '../chat/test-messages';
import { applyRoomEvent, groupRooms, markReadLocally, sortByActivity } from './room-list-state';

const ME = { id: 'u-me', username: 'me' };
const OTHER = { id: 'u-other', username: 'other' };
const room = (id: string, over: Partial<RoomListItem> = {}): RoomListItem => ({
  id,
  kind: 'channel',
  name: id,
  topic: null,
  peer: null,
  createdBy: null,
  memberCount: 2,
  createdAt: '2026-01-01T00:00:00.000Z',
  unread: 0,
  mentions: 0,
  lastReadMessageId: '10',
  lastMessageId: '10',
  lastActivityAt: '2026-01-01T10:00:00.000Z',
  ...over,
});
const created = (roomId: string, id: string, author = OTHER): DurableEvent => ({
  type: 'message.created',
  eventId: `e${id}`,
  roomId,
  message: { ...msg(id, { author, createdAt: `2026-01-02T00:00:${id.padStart(2, '0')}.000Z` }), roomId },
});
const ctx = { meId: ME.id, openRoomId: 'open' };

describe('applyRoomEvent', () => {
  it('counts another person’s new message as unread and moves its room to the top', () => {
    const list = [room('a'), room('b', { lastActivityAt: '2026-01-01T09:00:00.000Z' })];
    const { list: next } = applyRoomEvent(list, created('b', '11'), ctx);
    expect(next.map((r) => [r.id, r.unread, r.lastMessageId])).toEqual([
      ['b', 1, '11'],
      ['a', 0, '10'],
    ]);
  });

  it('applies a message the snapshot already has only once (replay after the cursor)', () => {
    const list = [room('a', { lastMessageId: '12', unread: 2 })];
    expect(applyRoomEvent(list, created('a', '11'), ctx).list).toBe(list);
    expect(applyRoomEvent(list, created('a', '12'), ctx).list).toBe(list);
  });

  it('never counts the user’s own messages or the open room’s', () => {
    const list = [room('a'), room('open')];
    const own = applyRoomEvent(list, created('a', '11', ME), ctx).list;
    expect(own.find((r) => r.id === 'a')?.unread).toBe(0);
    const open = applyRoomEvent(list, created('open', '12'), ctx).list;
    expect(open.find((r) => r.id === 'open')?.unread).toBe(0);
  });

  it('takes the server’s count with a newer read position (another tab read the room)', () => {
    const list = [room('a', { unread: 3, lastMessageId: '13' })];
    const applied = applyRoomEvent(list, { type: 'read.updated', eventId: 'e', roomId: 'a', messageId: '13', unread: 0, mentions: 0 }, ctx);
    expect(applied.list[0]).toMatchObject({ unread: 0, lastReadMessageId: '13' });
    const partial = applyRoomEvent(list, { type: 'read.updated', eventId: 'e', roomId: 'a', messageId: '12', unread: 1, mentions: 0 }, ctx);
    expect(partial.list[0]).toMatchObject({ unread: 1, lastReadMessageId: '12' });
  });

  it('ignores a read position the list is already at or past (replay after the cursor)', () => {
    const list = [room('a', { unread: 1, lastReadMessageId: '12', lastMessageId: '13' })];
    expect(applyRoomEvent(list, { type: 'read.updated', eventId: 'e', roomId: 'a', messageId: '12', unread: 0, mentions: 0 }, ctx).list).toBe(list);
    expect(applyRoomEvent(list, { type: 'read.updated', eventId: 'e', roomId: 'a', messageId: '9', unread: 4, mentions: 0 }, ctx).list).toBe(list);
  });

  it('adds a room the user joined as read up to then, keeps a listed one, and counts others joining', () => {
    const newRoom: Room = { id: 'n', kind: 'private', name: 'n', topic: 't', peer: null, createdBy: OTHER.id, memberCount: 3, createdAt: '2026-01-01T00:00:00.000Z' };
    const joinedEvent: DurableEvent = { type: 'room.joined', eventId: 'e', roomId: 'n', user: ME, room: newRoom, by: OTHER, lastMessageId: '40', lastActivityAt: '2026-01-05T00:00:00.000Z' };
    const joined = applyRoomEvent([room('a')], joinedEvent, ctx);
    expect(joined.list.map((r) => r.id)).toEqual(['n', 'a']);
    expect(joined.list[0]).toMatchObject({ unread: 0, lastReadMessageId: '40', lastMessageId: '40', memberCount: 3 });
    expect(applyRoomEvent(joined.list, joinedEvent, ctx).list).toHaveLength(2);
    const other = applyRoomEvent([room('a')], { ...joinedEvent, roomId: 'a', user: OTHER, room: { ...newRoom, id: 'a', memberCount: 3 } }, ctx);
    expect(other.list[0]?.memberCount).toBe(3);
  });

  it('drops a room the user left or was removed from, saying so when it was the open one', () => {
    const list = [room('a'), room('open')];
    const left = applyRoomEvent(list, { type: 'room.left', eventId: 'e', roomId: 'open', user: ME, by: OTHER, memberCount: 1 }, ctx);
    expect(left.list.map((r) => r.id)).toEqual(['a']);
    expect(left.removedOpenRoom).toBe(true);
    const otherLeft = applyRoomEvent(list, { type: 'room.left', eventId: 'e', roomId: 'a', user: OTHER, by: null, memberCount: 1 }, ctx);
    expect(otherLeft.list.find((r) => r.id === 'a')?.memberCount).toBe(1);
    expect(otherLeft.removedOpenRoom).toBe(false);
  });

  it('takes a rename and a new topic, keeping the read state', () => {
    const list = [room('a', { unread: 2 })];
    const { list: next } = applyRoomEvent(list, { type: 'room.updated', eventId: 'e', roomId: 'a', room: { ...room('a'), name: 'renamed', topic: 'new topic' } }, ctx);
    expect(next[0]).toMatchObject({ name: 'renamed', topic: 'new topic', unread: 2 });
  });
});

describe('markReadLocally', () => {
  it('clears the count when the newest message was read, never moves the position back', () => {
    const list = [room('a', { unread: 2, lastMessageId: '12' })];
    expect(markReadLocally(list, 'a', '12')[0]).toMatchObject({ unread: 0, lastReadMessageId: '12' });
    expect(markReadLocally(list, 'a', '9')).toBe(list);
  });
});

describe('grouping and order', () => {
  it('splits channels, private rooms and DMs, newest activity first', () => {
    const list = [
      room('old', { lastActivityAt: '2026-01-01T01:00:00.000Z' }),
      room('dm', { kind: 'dm', peer: OTHER }),
      room('new', { lastActivityAt: '2026-01-03T01:00:00.000Z' }),
      room('secret', { kind: 'private' }),
    ];
    const groups = groupRooms(list);
    expect(groups.channels.map((r) => r.id)).toEqual(['new', 'old']);
    expect(groups.private.map((r) => r.id)).toEqual(['secret']);
    expect(groups.direct.map((r) => r.id)).toEqual(['dm']);
    expect(sortByActivity(list)[0]?.id).toBe('new');
  });
});

describe('mentions in the room list', () => {
  it('takes the server’s count from mentions.updated and read.updated, and none for the room being read', () => {
    const list = [room('a', { unread: 2, mentions: 0, lastMessageId: '13' })];
    const mentioned = applyRoomEvent(list, { type: 'mentions.updated', eventId: 'e', roomId: 'a', mentions: 2 }, ctx).list;
    expect(mentioned[0]?.mentions).toBe(2);
    expect(applyRoomEvent(mentioned, { type: 'read.updated', eventId: 'e', roomId: 'a', messageId: '13', unread: 0, mentions: 0 }, ctx).list[0]).toMatchObject({ unread: 0, mentions: 0 });
    expect(applyRoomEvent(list, { type: 'mentions.updated', eventId: 'e', roomId: 'a', mentions: 1 }, { ...ctx, openRoomId: 'a' }).list).toBe(list);
  });

  it('clears mentions when the user reads to the end locally, keeps them for a partial read', () => {
    const list = [room('a', { unread: 3, mentions: 1, lastReadMessageId: '10', lastMessageId: '13' })];
    expect(markReadLocally(list, 'a', '13')[0]).toMatchObject({ unread: 0, mentions: 0 });
    expect(markReadLocally(list, 'a', '12')[0]).toMatchObject({ unread: 3, mentions: 1 });
  });

  it('leaves the list alone for edits, deletes and reactions', () => {
    const list = [room('a')];
    expect(applyRoomEvent(list, { type: 'message.deleted', eventId: 'e', roomId: 'a', messageId: '10', deleted: { at: '2026-01-01T10:00:00.000Z', by: 'author' } }, ctx).list).toBe(list);
  });
});

