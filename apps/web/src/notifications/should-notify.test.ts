import { applyNotificationEvent, emptyNotificationState, fromNotificationSettings } from '@chat/client/core';
import { describe, expect, it } from 'vitest';
import { readNotificationChoice, writeNotificationChoice } from './notification-setting';
import { shouldNotify } from './should-notify';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const settings = fromNotificationSettings(emptyNotificationState(), { rooms: [], schedule: null });
const base = { meId: 'me', hidden: true, allowed: true, roomKind: 'channel' as const, settings, now: NOW };
const from = (authorId: string, mentions: string[] = [], roomId = 'r1') => ({ roomId, author: { id: authorId }, mentions: mentions.map((id) => ({ id })) });

describe('shouldNotify', () => {
  it('notifies a mention of the viewer and any DM while the tab is hidden', () => {
    expect(shouldNotify({ ...base, message: from('ann', ['me']) })).toBe(true);
    expect(shouldNotify({ ...base, roomKind: 'dm', message: from('ann') })).toBe(true);
  });

  it('stays quiet for others’ mentions, plain channel messages, own messages, a visible tab, or when not allowed', () => {
    expect(shouldNotify({ ...base, message: from('ann', ['bob']) })).toBe(false);
    expect(shouldNotify({ ...base, message: from('ann') })).toBe(false);
    expect(shouldNotify({ ...base, roomKind: 'dm', message: from('me', ['me']) })).toBe(false);
    expect(shouldNotify({ ...base, hidden: false, message: from('ann', ['me']) })).toBe(false);
    expect(shouldNotify({ ...base, allowed: false, message: from('ann', ['me']) })).toBe(false);
  });

  it('notifies a reply in a thread the viewer follows (at the default level), not their own, nor in a room set to nothing', () => {
    expect(shouldNotify({ ...base, message: from('ann'), followsThread: true })).toBe(true);
    expect(shouldNotify({ ...base, message: from('ann'), followsThread: false })).toBe(false);
    expect(shouldNotify({ ...base, message: from('me'), followsThread: true })).toBe(false);
    const nothing = fromNotificationSettings(emptyNotificationState(), { rooms: [{ roomId: 'r1', level: 'nothing', mutedUntil: null }], schedule: null });
    expect(shouldNotify({ ...base, settings: nothing, message: from('ann'), followsThread: true })).toBe(false);
  });

  it('follows the room settings: all, nothing, a mute, and the quiet hours', () => {
    const room = (level: 'all' | 'mentions' | 'nothing', mutedUntil: string | null = null) =>
      fromNotificationSettings(emptyNotificationState(), { rooms: [{ roomId: 'r1', level, mutedUntil }], schedule: null });
    expect(shouldNotify({ ...base, settings: room('all'), message: from('ann') })).toBe(true);
    expect(shouldNotify({ ...base, settings: room('all'), message: from('ann', [], 'r2') })).toBe(false);
    expect(shouldNotify({ ...base, settings: room('nothing'), roomKind: 'dm', message: from('ann', ['me']) })).toBe(false);
    expect(shouldNotify({ ...base, settings: room('all', '2026-12-06T13:00:00Z'), message: from('ann', ['me']) })).toBe(false);
    const quiet = fromNotificationSettings(emptyNotificationState(), { rooms: [], schedule: { startMinute: 11 * 60, endMinute: 13 * 60, timeZone: 'UTC' } });
    expect(shouldNotify({ ...base, settings: quiet, roomKind: 'dm', message: from('ann') })).toBe(false);
  });

  it('stays quiet while another device of the user shows the room, and not for its own device', () => {
    const watched = applyNotificationEvent(settings, { type: 'focus.changed', device: 'phone', focusedRoomId: 'r1' }, 'laptop', NOW);
    expect(shouldNotify({ ...base, settings: watched, roomKind: 'dm', message: from('ann') })).toBe(false);
    const own = applyNotificationEvent(settings, { type: 'focus.changed', device: 'laptop', focusedRoomId: 'r1' }, 'laptop', NOW);
    expect(shouldNotify({ ...base, settings: own, roomKind: 'dm', message: from('ann') })).toBe(true);
  });
});

describe('the notification choice', () => {
  it('is remembered per browser and unknown until made', () => {
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
    expect(readNotificationChoice(storage)).toBeNull();
    writeNotificationChoice('off', storage);
    expect(readNotificationChoice(storage)).toBe('off');
    writeNotificationChoice('on', storage);
    expect(readNotificationChoice(storage)).toBe('on');
  });
});
