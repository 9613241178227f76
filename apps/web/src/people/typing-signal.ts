/** Renew "typing" at most this often while the user keeps typing (the server forgets it after 5 s). */
export const TYPING_RENEW_MS = 3_000;
/** Say "stopped" after this long without a keystroke. */
export const TYPING_IDLE_MS = 4_000;

export interface TypingClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const realClock: TypingClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

export interface TypingSignal {
  /** The composer's text changed by the user's hand. */
  changed(draft: string): void;
  /** Sent, cleared or left: say "stopped" now if "typing" was said. */
  stop(): void;
}

/**
 * Turns keystrokes into few `typing` calls: one start, a renewal at most every `renewMs` while
 * keys keep coming, and one stop when the draft is emptied or the keys pause for `idleMs`.
 */
export function createTypingSignal(send: (typing: boolean) => void, clock: TypingClock = realClock, renewMs = TYPING_RENEW_MS, idleMs = TYPING_IDLE_MS): TypingSignal {
  let lastStart: number | null = null;
  let idleTimer: unknown = null;

  const clearIdle = () => {
    if (idleTimer !== null) clock.clearTimeout(idleTimer);
    idleTimer = null;
  };

  const stop = () => {
    clearIdle();
    if (lastStart === null) return;
    lastStart = null;
    send(false);
  };

  return {
    changed(draft) {
      if (!draft.trim()) return stop();
      const now = clock.now();
      if (lastStart === null || now - lastStart >= renewMs) {
        lastStart = now;
        send(true);
      }
      clearIdle();
      idleTimer = clock.setTimeout(stop, idleMs);
    },
    stop,
  };
}
