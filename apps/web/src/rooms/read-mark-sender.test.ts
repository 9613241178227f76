import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReadMarkSender } from './read-mark-sender';

describe('createReadMarkSender', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first mark at once, then at most one per interval per room, always the newest', () => {
    const sent: string[] = [];
    const sender = createReadMarkSender((roomId, messageId) => sent.push(`${roomId}:${messageId}`), 1_000);
    sender.mark('a', '9');
    for (let id = 10; id <= 40; id++) sender.mark('a', String(id));
    sender.mark('b', '5');
    expect(sent).toEqual(['a:9', 'b:5']);
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual(['a:9', 'b:5', 'a:40']);
    vi.advanceTimersByTime(5_000);
    expect(sent).toHaveLength(3);
  });

  it('never sends an older position after a newer one (ids compare as numbers)', () => {
    const sent: string[] = [];
    const sender = createReadMarkSender((_, messageId) => sent.push(messageId), 1_000);
    sender.mark('a', '99');
    sender.mark('a', '100');
    sender.mark('a', '99');
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual(['99', '100']);
  });

  it('a 10-message-a-second room for a minute costs about one call a second, far under the server limit of 100 per 10 s', () => {
    let calls = 0;
    const sender = createReadMarkSender(() => calls++, 1_000);
    for (let i = 1; i <= 600; i++) {
      sender.mark('busy', String(i));
      vi.advanceTimersByTime(100);
    }
    expect(calls).toBeLessThanOrEqual(61);
  });

  it('flushAll sends what waits at once', () => {
    const sent: string[] = [];
    const sender = createReadMarkSender((_, messageId) => sent.push(messageId), 1_000);
    sender.mark('a', '1');
    sender.mark('a', '2');
    sender.flushAll();
    expect(sent).toEqual(['1', '2']);
  });
});
