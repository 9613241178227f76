import { describe, expect, it } from 'vitest';
import { readNotificationChoice, writeNotificationChoice } from './notification-setting';
import { shouldNotify } from './should-notify';

const base = { meId: 'me', hidden: true, allowed: true, roomKind: 'channel' as const };
const from = (authorId: string, mentions: string[] = []) => ({ author: { id: authorId }, mentions: mentions.map((id) => ({ id })) });

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
