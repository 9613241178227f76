import type { DrainGate } from '@chat/api';

/** The server's side of a drain: counts calls in flight and tells shutdown when none is left. */
export function createDrainGate(): DrainGate & { start(): void; idle(): Promise<void> } {
  let draining = false;
  let running = 0;
  let onIdle: (() => void) | null = null;
  const settled = () => {
    if (--running === 0 && onIdle) onIdle();
  };
  return {
    get draining() {
      return draining;
    },
    track(call) {
      running++;
      return call().finally(settled);
    },
    start() {
      draining = true;
    },
    /** Resolves once no call is in flight (no new ones start after start()). */
    idle: () => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => (onIdle = resolve))),
  };
}
