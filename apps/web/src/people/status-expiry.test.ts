import { describe, expect, it } from 'vitest';
import { localTime, statusExpiry, statusShows } from './status-expiry';

describe('status expiry choices', () => {
  // A Wednesday afternoon, local time.
  const wednesday = new Date(2026, 11, 9, 15, 20);

  it('counts a fixed while from now', () => {
    expect(statusExpiry('30m', wednesday)).toBe(new Date(2026, 11, 9, 15, 50).toISOString());
    expect(statusExpiry('1h', wednesday)).toBe(new Date(2026, 11, 9, 16, 20).toISOString());
  });

  it('ends "today" at local midnight and "this week" at the midnight before Monday', () => {
    expect(statusExpiry('today', wednesday)).toBe(new Date(2026, 11, 10, 0, 0).toISOString());
    expect(statusExpiry('week', wednesday)).toBe(new Date(2026, 11, 14, 0, 0).toISOString());
    // On Sunday "this week" is that night; on Monday, the coming Sunday's.
    expect(statusExpiry('week', new Date(2026, 11, 13, 9, 0))).toBe(new Date(2026, 11, 14, 0, 0).toISOString());
    expect(statusExpiry('week', new Date(2026, 11, 14, 9, 0))).toBe(new Date(2026, 11, 21, 0, 0).toISOString());
  });

  it('never ends for "don’t clear"', () => {
    expect(statusExpiry('never', wednesday)).toBeNull();
  });

  it('hides a status once its time has passed', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    expect(statusShows({ expiresAt: '2026-12-06T12:00:01Z' }, now)).toBe(true);
    expect(statusShows({ expiresAt: '2026-12-06T12:00:00Z' }, now)).toBe(false);
    expect(statusShows({}, now)).toBe(true);
    expect(statusShows(undefined, now)).toBe(false);
  });

  it('tells the time in another zone, and nothing for a zone the browser does not know', () => {
    const at = new Date('2026-12-06T12:05:00Z');
    expect(localTime('Asia/Tokyo', at)).toMatch(/^(21|09).05/);
    expect(localTime('Not/AZone', at)).toBeNull();
  });
});
