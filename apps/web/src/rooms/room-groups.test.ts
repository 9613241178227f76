import type { RoomListItem } from '../api/room-types';
import { describe, expect, it } from 'vitest';
import { groupRooms } from './room-groups';

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

describe('groupRooms', () => {
  it('splits channels, private rooms and DMs, newest activity first', () => {
    const list = [
      room('old', { lastActivityAt: '2026-01-01T01:00:00.000Z' }),
      room('dm', { kind: 'dm', peer: { id: 'u-other', username: 'other' } }),
      room('new', { lastActivityAt: '2026-01-03T01:00:00.000Z' }),
      room('secret', { kind: 'private' }),
    ];
    const groups = groupRooms(list);
    expect(groups.channels.map((r) => r.id)).toEqual(['new', 'old']);
    expect(groups.private.map((r) => r.id)).toEqual(['secret']);
    expect(groups.direct.map((r) => r.id)).toEqual(['dm']);
  });

  it('breaks ties by name, then by id as a number', () => {
    const at = '2026-01-02T00:00:00.000Z';
    const list = [room('10', { name: 'same', lastActivityAt: at }), room('9', { name: 'same', lastActivityAt: at }), room('1', { name: 'alpha', lastActivityAt: at })];
    expect(groupRooms(list).channels.map((r) => r.id)).toEqual(['1', '9', '10']);
  });
});
