import { describe, expect, it } from 'vitest';
import { compareIds, latestId, mergeMessages } from './message-order';
import { msg } from './test-messages';

describe('compareIds', () => {
  it('orders decimal ids numerically', () => {
    expect(compareIds('9', '10')).toBeLessThan(0);
    expect(compareIds('100', '99')).toBeGreaterThan(0);
    expect(compareIds('42', '42')).toBe(0);
    expect(compareIds('9223372036854775807', '9223372036854775806')).toBeGreaterThan(0);
  });
});

describe('mergeMessages', () => {
  it('merges overlapping pages and live messages into one ascending list without duplicates', () => {
    const older = [msg('1'), msg('2'), msg('3')];
    const newer = [msg('3'), msg('4'), msg('10')];
    const live = [msg('10'), msg('11'), msg('4')];
    expect(mergeMessages(newer, older, live).map((m) => m.id)).toEqual(['1', '2', '3', '4', '10', '11']);
  });

  it('handles no input', () => {
    expect(mergeMessages()).toEqual([]);
  });
});

describe('latestId', () => {
  it('is the numerically greatest id, the resume point after a reconnect', () => {
    expect(latestId([msg('9'), msg('12'), msg('10')])).toBe('12');
    expect(latestId([])).toBeNull();
  });
});
