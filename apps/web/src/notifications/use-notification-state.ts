import { applyNotificationEvent, emptyNotificationState, fromNotificationSettings, type NotificationState, tokenSessionId } from '@chat/client/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { NotificationStreamEvent } from '../api/room-types';
import { trpc } from '../api/trpc';

/**
 * The user's notification settings and their other devices' focus, folded by @chat/client/core:
 * notifications.get, then the events chat.onEvent brings (use-conversations reads the settings
 * again when its stream restarts, since these events are not replayed).
 */
export function useNotificationState(token: string) {
  // This device, by its session: its own focus reports come back on its stream and are ignored.
  const device = useMemo(() => tokenSessionId(token), [token]);
  const settings = trpc.notifications.get.useQuery(undefined, { staleTime: Infinity, retry: false });
  const [state, setState] = useState<NotificationState>(emptyNotificationState);
  useEffect(() => {
    if (settings.data) setState((s) => fromNotificationSettings(s, settings.data));
  }, [settings.data]);
  // Read by the stream's callbacks, which keep one identity.
  const latest = useRef(state);
  latest.current = state;
  const apply = useCallback((event: NotificationStreamEvent) => setState((s) => applyNotificationEvent(s, event, device, Date.now())), [device]);
  return { state, latest, apply };
}
