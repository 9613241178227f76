import { applyPinEvent, fromPins, type PinListState } from '@chat/client/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DurableEvent } from '../api/room-types';
import { trpc } from '../api/trpc';

/**
 * The open room's pinned messages (docs/decisions/154), folded by the shared core: chat.pins read
 * after the last event this page applied, plus the events after it (`applyPinEvent`). A rejoin or
 * a resync makes the fold stale: the list is read again the same way.
 */
export function usePins(meId: string, roomId: string | null) {
  const utils = trpc.useUtils();
  const fold = useRef<{ state: PinListState | null; since: DurableEvent[]; lastSeen: string | null }>({ state: null, since: [], lastSeen: null });
  const [view, setView] = useState<PinListState | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const f = fold.current;
    f.state = null;
    f.since = [];
    setView(null);
    if (!roomId) return;
    let current = true;
    const base = f.lastSeen;
    utils.client.chat.pins.query({ roomId }).then(
      (pins) => {
        if (!current) return;
        f.state = f.since.reduce(applyPinEvent, fromPins(meId, roomId, base, pins));
        f.since = [];
        setView(f.state);
      },
      // Nothing to show; the next room or resync reads it again.
      () => {},
    );
    return () => {
      current = false;
    };
  }, [meId, roomId, generation, utils]);

  /** One durable event from the app's stream. */
  const apply = useCallback((event: DurableEvent) => {
    const f = fold.current;
    f.lastSeen = event.eventId;
    if (!f.state) {
      f.since.push(event);
      return;
    }
    const next = applyPinEvent(f.state, event);
    if (next === f.state) return;
    f.state = next;
    if (next.stale) setGeneration((g) => g + 1);
    else setView(next);
  }, []);

  /** The stream resynced: read the pins again. */
  const refetch = useCallback(() => setGeneration((g) => g + 1), []);

  const pins = view && view.roomId === roomId ? view.pins : null;
  const pinnedIds = useMemo(() => new Set(pins?.map((p) => p.message.id) ?? []), [pins]);
  return { pins, pinnedIds, apply, refetch };
}
