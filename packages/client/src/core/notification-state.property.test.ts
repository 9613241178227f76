import type { ChatEvent, NotificationLevel, NotificationSettings } from '@chat/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyNotificationEvent,
  emptyNotificationState,
  FOCUS_TTL_MS,
  fromNotificationSettings,
  notifyReasons,
  settingsAllowNotification,
  watchedElsewhere,
} from './notification-state';

// "Applying equals fetching" for notification settings (docs/decisions/149): against a model of the
// server (setRoom and setSchedule, each followed by notifications.changed with the whole settings),
// a snapshot read after any prefix plus the events after it ends where notifications.get would. Focus
// reports from other devices (and this device's own echo) are interleaved and change no settings.

const ROOMS = ['r1', 'r2', 'r3'];
const LEVELS: NotificationLevel[] = ['all', 'mentions', 'nothing'];
const ME_DEVICE = 'd0';

type Op =
  | { kind: 'room'; roomId: string; level: NotificationLevel; mutedUntil: string | null }
  | { kind: 'schedule'; schedule: NotificationSettings['schedule'] }
  | { kind: 'focus'; device: string; roomId: string | null };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('room' as const),
    roomId: fc.constantFrom(...ROOMS),
    level: fc.constantFrom(...LEVELS),
    mutedUntil: fc.option(fc.constantFrom('2030-01-01T00:00:00.000Z', '2031-06-01T12:00:00.000Z'), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('schedule' as const),
    schedule: fc.option(fc.record({ startMinute: fc.integer({ min: 0, max: 1439 }), endMinute: fc.integer({ min: 0, max: 1439 }), timeZone: fc.constantFrom('UTC', 'Asia/Tokyo') }), { nil: null }),
  }),
  fc.record({ kind: fc.constant('focus' as const), device: fc.constantFrom(ME_DEVICE, 'd1', 'd2'), roomId: fc.option(fc.constantFrom(...ROOMS), { nil: null }) }),
);

/** The server: its stored settings after each op, and the event each op sends the user's streams. */
function run(ops: Op[]) {
  let settings: NotificationSettings = { rooms: [], schedule: null };
  const steps: { settings: NotificationSettings; event: ChatEvent }[] = [];
  for (const o of ops) {
    if (o.kind === 'room') {
      const rooms = settings.rooms.filter((r) => r.roomId !== o.roomId).concat({ roomId: o.roomId, level: o.level, mutedUntil: o.mutedUntil });
      settings = { ...settings, rooms: rooms.sort((a, b) => a.roomId.localeCompare(b.roomId)) };
      steps.push({ settings, event: { type: 'notifications.changed', settings } });
    } else if (o.kind === 'schedule') {
      settings = { ...settings, schedule: o.schedule };
      steps.push({ settings, event: { type: 'notifications.changed', settings } });
    } else steps.push({ settings, event: { type: 'focus.changed', device: o.device, focusedRoomId: o.roomId } });
  }
  return { settings, steps };
}

describe('notification state', () => {
  it('a snapshot after any prefix plus the events after it equals a fresh read', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.nat(), (ops, cut) => {
        const { settings, steps } = run(ops);
        const at = steps.length === 0 ? 0 : cut % (steps.length + 1);
        const snapshot = at === 0 ? { rooms: [], schedule: null } : steps[at - 1]!.settings;
        let state = fromNotificationSettings(emptyNotificationState(), snapshot);
        for (const step of steps.slice(at)) state = applyNotificationEvent(state, step.event, ME_DEVICE, 0);
        expect(state.settings).toEqual(settings);
      }),
    );
  });

  it("knows which room the user's other devices look at, never its own, and forgets a stale report", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const { steps } = run(ops);
        let state = emptyNotificationState();
        for (const step of steps) state = applyNotificationEvent(state, step.event, ME_DEVICE, 1_000);
        const last = new Map<string, string | null>();
        for (const o of ops) if (o.kind === 'focus' && o.device !== ME_DEVICE) last.set(o.device, o.roomId);
        for (const roomId of ROOMS) {
          const expected = [...last.values()].includes(roomId);
          expect(watchedElsewhere(state, roomId, 1_000)).toBe(expected);
          expect(watchedElsewhere(state, roomId, 1_000 + FOCUS_TTL_MS + 1)).toBe(false);
        }
      }),
    );
  });

  it('applies the same rule as Web Push: a DM or a mention by default, silence for nothing, mutes and quiet hours', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    const dm = notifyReasons({ author: { id: 'a' } }, 'dm', 'me');
    const plain = notifyReasons({ author: { id: 'a' } }, 'channel', 'me');
    const mention = notifyReasons({ author: { id: 'a' }, mentions: [{ id: 'me' }] }, 'channel', 'me');
    expect(notifyReasons({ author: { id: 'me' } }, 'dm', 'me')).toEqual([]);
    const base = fromNotificationSettings(emptyNotificationState(), { rooms: [], schedule: null });
    expect([dm, plain, mention].map((r) => settingsAllowNotification(base, 'r1', r, now))).toEqual([true, false, true]);
    const all = fromNotificationSettings(base, { rooms: [{ roomId: 'r1', level: 'all', mutedUntil: null }], schedule: null });
    expect(settingsAllowNotification(all, 'r1', plain, now)).toBe(true);
    const nothing = fromNotificationSettings(base, { rooms: [{ roomId: 'r1', level: 'nothing', mutedUntil: null }], schedule: null });
    expect(settingsAllowNotification(nothing, 'r1', dm, now)).toBe(false);
    const muted = fromNotificationSettings(base, { rooms: [{ roomId: 'r1', level: 'all', mutedUntil: '2026-12-06T13:00:00Z' }], schedule: null });
    expect(settingsAllowNotification(muted, 'r1', dm, now)).toBe(false);
    expect(settingsAllowNotification(muted, 'r1', dm, now + 2 * 3_600_000)).toBe(true);
    // 12:00 UTC is 21:00 in Tokyo: inside 20:00–07:00 there, outside 08:00–20:00.
    const night = fromNotificationSettings(base, { rooms: [], schedule: { startMinute: 20 * 60, endMinute: 7 * 60, timeZone: 'Asia/Tokyo' } });
    const day = fromNotificationSettings(base, { rooms: [], schedule: { startMinute: 8 * 60, endMinute: 20 * 60, timeZone: 'Asia/Tokyo' } });
    expect(settingsAllowNotification(night, 'r1', dm, now)).toBe(false);
    expect(settingsAllowNotification(day, 'r1', dm, now)).toBe(true);
    const watched = applyNotificationEvent(base, { type: 'focus.changed', device: 'd9', focusedRoomId: 'r1' }, ME_DEVICE, now);
    expect(settingsAllowNotification(watched, 'r1', dm, now)).toBe(false);
    expect(settingsAllowNotification(watched, 'r2', dm, now)).toBe(true);
  });
});
