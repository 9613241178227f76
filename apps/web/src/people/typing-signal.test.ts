import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTypingSignal } from './typing-signal';

describe('createTypingSignal', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const setup = () => {
    const sent: boolean[] = [];
    const signal = createTypingSignal((typing) => sent.push(typing));
    return { sent, signal };
  };

  /** Types one key every `everyMs` for `forMs`. */
  const typeFor = (signal: ReturnType<typeof setup>['signal'], forMs: number, everyMs = 200) => {
    let text = '';
    for (let t = 0; t < forMs; t += everyMs) {
      text += 'a';
      signal.changed(text);
      vi.advanceTimersByTime(everyMs);
    }
  };

  it('says "typing" once for a burst of keys, then "stopped" after the idle pause', () => {
    const { sent, signal } = setup();
    typeFor(signal, 1_000);
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(3_700);
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(200);
    expect(sent).toEqual([true, false]);
  });

  it('renews at most every 3 s while the keys keep coming', () => {
    const { sent, signal } = setup();
    typeFor(signal, 10_000);
    // Starts at 0, 3 s, 6 s, 9 s: four calls in ten seconds, well under the server's 10 per 10 s.
    expect(sent).toEqual([true, true, true, true]);
  });

  it('says "stopped" at once when the draft is cleared or sent, and only once', () => {
    const { sent, signal } = setup();
    signal.changed('hello');
    signal.changed('');
    expect(sent).toEqual([true, false]);
    vi.advanceTimersByTime(10_000);
    signal.stop();
    expect(sent).toEqual([true, false]);
  });

  it('says nothing for whitespace alone or a stop without a start', () => {
    const { sent, signal } = setup();
    signal.changed('   ');
    signal.stop();
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual([]);
  });

  it('starts again right away after a stop', () => {
    const { sent, signal } = setup();
    signal.changed('a');
    signal.stop();
    signal.changed('ab');
    expect(sent).toEqual([true, false, true]);
  });
});
