import { useEffect } from 'react';
import { trpc } from '../api/trpc';

/** How often a focused tab repeats its report; the server forgets one after 90 s (docs/decisions/150). */
const REPORT_EVERY_MS = 30_000;

const focusedRoom = (openRoomId: string | null) => (document.visibilityState === 'visible' && document.hasFocus() ? openRoomId : null);

/**
 * Tells the server which room this tab shows while it has the focus (null when hidden or blurred),
 * so Web Push and the user's other devices stay quiet about it. Best effort: a failed or refused
 * report only means a notification too many.
 */
export function useFocusReport(openRoomId: string | null): void {
  // Through the plain client: a useMutation re-rendered the whole chat screen twice per report (decision 160).
  const utils = trpc.useUtils();
  useEffect(() => {
    const mutate = (input: { roomId: string | null }, { onError }: { onError?: () => void } = {}) =>
      void utils.client.push.focus.mutate(input).catch(() => onError?.());
    let last: string | null | undefined;
    const report = (force = false) => {
      const now = focusedRoom(openRoomId);
      if (!force && now === last) return;
      // A blurred tab that never reported a room has nothing to take back.
      if (now === null && (last === undefined || last === null) && !force) return;
      last = now;
      mutate({ roomId: now }, { onError: () => (last = undefined) });
    };
    const onChange = () => report();
    report();
    const timer = window.setInterval(() => last !== null && last !== undefined && report(true), REPORT_EVERY_MS);
    window.addEventListener('focus', onChange);
    window.addEventListener('blur', onChange);
    document.addEventListener('visibilitychange', onChange);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', onChange);
      window.removeEventListener('blur', onChange);
      document.removeEventListener('visibilitychange', onChange);
      if (last) mutate({ roomId: null });
    };
  }, [openRoomId, utils]);
}
