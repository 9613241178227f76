import { describe, expect, it } from 'vitest';
import { inDoNotDisturb, notificationAllowed, pushSubscribeInput, pushUnsubscribeInput, setRoomNotificationInput, triggerReasons } from './notification.schema';

const at = (iso: string) => new Date(iso);

describe('the notification rule', () => {
  it('lets the default level through a DM or a mention only, "all" through anything, "nothing" through nothing', () => {
    const now = at('2026-12-06T12:00:00Z');
    expect(notificationAllowed(undefined, null, ['dm'], now)).toBe(true);
    expect(notificationAllowed(undefined, null, ['mention', 'message'], now)).toBe(true);
    expect(notificationAllowed(undefined, null, ['message'], now)).toBe(false);
    expect(notificationAllowed({ level: 'all', mutedUntil: null }, null, ['message'], now)).toBe(true);
    expect(notificationAllowed({ level: 'nothing', mutedUntil: null }, null, ['dm', 'mention'], now)).toBe(false);
    expect(notificationAllowed({ level: 'all', mutedUntil: null }, null, [], now)).toBe(false);
  });

  it('is silenced by a mute until it ends', () => {
    const mute = { level: 'all' as const, mutedUntil: '2026-12-06T12:30:00Z' };
    expect(notificationAllowed(mute, null, ['dm'], at('2026-12-06T12:29:59Z'))).toBe(false);
    expect(notificationAllowed(mute, null, ['dm'], at('2026-12-06T12:30:01Z'))).toBe(true);
  });

  it('keeps quiet hours in the user zone, across midnight and daylight saving', () => {
    const night = { startMinute: 22 * 60, endMinute: 7 * 60, timeZone: 'Europe/Paris' };
    // Paris is UTC+1 in December, UTC+2 in July.
    expect(inDoNotDisturb(night, at('2026-12-06T21:30:00Z'))).toBe(true); // 22:30
    expect(inDoNotDisturb(night, at('2026-12-06T05:59:00Z'))).toBe(true); // 06:59
    expect(inDoNotDisturb(night, at('2026-12-06T06:00:00Z'))).toBe(false); // 07:00, the end is not inside
    expect(inDoNotDisturb(night, at('2026-07-06T20:30:00Z'))).toBe(true); // 22:30 summer time
    expect(inDoNotDisturb(night, at('2026-07-06T19:30:00Z'))).toBe(false); // 21:30
    const lunch = { startMinute: 12 * 60, endMinute: 13 * 60, timeZone: 'UTC' };
    expect(inDoNotDisturb(lunch, at('2026-12-06T12:15:00Z'))).toBe(true);
    expect(inDoNotDisturb(lunch, at('2026-12-06T13:15:00Z'))).toBe(false);
    expect(notificationAllowed(undefined, lunch, ['dm'], at('2026-12-06T12:15:00Z'))).toBe(false);
  });

  it('names a DM\'s members and the mentioned, never the author', () => {
    expect(triggerReasons({ authorId: 'a', roomKind: 'dm', mentionIds: ['b'] }, 'b')).toEqual(['dm', 'mention']);
    expect(triggerReasons({ authorId: 'a', roomKind: 'channel', mentionIds: ['b'] }, 'c')).toEqual([]);
    expect(triggerReasons({ authorId: 'a', roomKind: 'dm', mentionIds: ['a'] }, 'a')).toEqual([]);
  });
});

describe('the schemas', () => {
  it('take a browser subscription and refuse keys of the wrong size or alphabet', () => {
    const p256dh = 'B'.repeat(87);
    const auth = 'A'.repeat(22);
    expect(pushSubscribeInput.safeParse({ endpoint: 'https://push.example/x', keys: { p256dh, auth } }).success).toBe(true);
    expect(pushSubscribeInput.safeParse({ endpoint: 'https://push.example/x', keys: { p256dh: `${p256dh}==`, auth } }).success).toBe(true);
    expect(pushSubscribeInput.safeParse({ endpoint: 'https://push.example/x', keys: { p256dh: p256dh.slice(4), auth } }).success).toBe(false);
    expect(pushSubscribeInput.safeParse({ endpoint: 'https://push.example/x', keys: { p256dh, auth: `${auth}+/` } }).success).toBe(false);
    expect(pushSubscribeInput.safeParse({ endpoint: 'not a url', keys: { p256dh, auth } }).success).toBe(false);
  });

  it('refuse an endpoint with a control character (PostgreSQL refuses NUL in text: it was a 503, not a 400)', () => {
    const keys = { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) };
    expect(pushSubscribeInput.safeParse({ endpoint: 'https://push.example/x\u0000y', keys }).success).toBe(false);
    expect(pushUnsubscribeInput.safeParse({ endpoint: 'https://push.example/x\u0000y' }).success).toBe(false);
    expect(pushUnsubscribeInput.safeParse({ endpoint: 'https://push.example/\u001b[31m' }).success).toBe(false);
    expect(pushUnsubscribeInput.safeParse({ endpoint: 'https://push.example/x' }).success).toBe(true);
  });

  it('refuse a mute longer than a year and a time that is not ISO', () => {
    const roomId = '00000000-0000-4000-8000-000000000001';
    expect(setRoomNotificationInput.safeParse({ roomId, level: 'all', mutedUntil: new Date(Date.now() + 86_400_000).toISOString() }).success).toBe(true);
    expect(setRoomNotificationInput.safeParse({ roomId, level: 'all', mutedUntil: new Date(Date.now() + 400 * 86_400_000).toISOString() }).success).toBe(false);
    expect(setRoomNotificationInput.safeParse({ roomId, level: 'all', mutedUntil: 'next week' }).success).toBe(false);
  });
});
