import { EVERYONE_ROOM_ID } from '@chat/api/schemas';
import { describe, expect, it } from 'vitest';
import { pathForRoom, roomIdFromPath } from './room-route';

const ID = '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b';

describe('room routes', () => {
  it('opens #everyone at the root and on unknown paths', () => {
    expect(roomIdFromPath('/')).toBe(EVERYONE_ROOM_ID);
    expect(roomIdFromPath('/settings')).toBe(EVERYONE_ROOM_ID);
  });

  it('reads a room id from /r/<id>, in lower case, with or without a trailing slash', () => {
    expect(roomIdFromPath(`/r/${ID}`)).toBe(ID);
    expect(roomIdFromPath(`/r/${ID.toUpperCase()}/`)).toBe(ID);
  });

  it('calls a malformed room link invalid rather than opening some other room', () => {
    expect(roomIdFromPath('/r/not-a-room')).toBe('invalid');
    expect(roomIdFromPath(`/r/${ID}/extra`)).toBe('invalid');
  });

  it('round-trips a room through its path', () => {
    expect(roomIdFromPath(pathForRoom(ID))).toBe(ID);
    expect(pathForRoom(EVERYONE_ROOM_ID)).toBe('/');
  });
});
