import { useCallback, useEffect, useRef } from 'react';

/** Pause before subscribing again after the server ended a live feed (error, or a stream that completed). */
const RESTART_DELAY_MS = 2_000;

/**
 * For feeds with no id to resume from: `later()` restarts the subscription (through the
 * `reset` last given to `bind`) after a pause; the fresh stream starts with the whole state.
 */
export function useRestartLater(ms = RESTART_DELAY_MS) {
  const reset = useRef<() => void>(() => undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const later = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => reset.current(), ms);
  }, [ms]);
  const bind = useCallback((next: () => void) => {
    reset.current = next;
  }, []);
  return { later, bind };
}
