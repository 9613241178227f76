import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../events/stored-event';
import { topicsOf } from './topics';

const stored = (type: StoredEvent['type'], userId: string | null = 'u'): StoredEvent => ({ id: '7', type, roomId: 'r', userId, message: null, messageId: null, payload: null, createdAt: '' });
const user = { id: 'u', username: 'ann' };

describe('topicsOf', () => {
  it('sends a room’s events to the room, a reader’s own to the reader, and a join to both', () => {
    expect(topicsOf({ type: 'event', event: stored('message.created') })).toEqual(['room:r']);
    expect(topicsOf({ type: 'event', event: stored('room.left') })).toEqual(['room:r']);
    expect(topicsOf({ type: 'event', event: stored('read.updated') })).toEqual(['user:u']);
    expect(topicsOf({ type: 'event', event: stored('thread.read') })).toEqual(['user:u']);
    expect(topicsOf({ type: 'event', event: stored('room.joined') })).toEqual(['room:r', 'user:u']);
    expect(topicsOf({ type: 'typing', user, typing: true, roomId: 'r' })).toEqual(['room:r']);
    expect(topicsOf({ type: 'role-changed', userId: 'u', role: 'admin' })).toEqual(['user:u']);
  });

  it('sends to every instance what any instance may need whoever it serves', () => {
    expect(topicsOf({ type: 'presence', user, online: true })).toBe('all');
    expect(topicsOf({ type: 'typing', user, typing: true })).toBe('all');
    expect(topicsOf({ type: 'sessions-revoked', sessionIds: ['s'] })).toBe('all');
    expect(topicsOf({ type: 'session-rotated', sessionId: 's', tokenId: 't', rotatedAt: 1 })).toBe('all');
    expect(topicsOf({ type: 'focus', userId: 'u', sessionId: 's', roomId: null, at: 1 })).toBe('all');
  });
});
