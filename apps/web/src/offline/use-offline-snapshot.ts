import { useEffect, useState } from 'react';
import type { RoomListItem } from '../api/room-types';
import type { TimelineItem } from '../messages/timeline';
import { type OfflineSnapshot, offlineStore } from './offline-store';

/** Changes come in bursts (a room's unread count on every message): kept a moment after the last one. */
const SAVE_DELAY_MS = 1_000;
/** The newest messages of a room kept for reading offline: one page. */
const KEPT_MESSAGES = 50;

/** What was kept at the last visit (null until read), and the room list kept from now on as it changes. */
export function useOfflineSnapshot(accountId: string, rooms: readonly RoomListItem[] | undefined): OfflineSnapshot | null {
  const [kept, setKept] = useState<OfflineSnapshot | null>(null);
  useEffect(() => {
    let current = true;
    void offlineStore(accountId)
      .load()
      .then((snapshot) => current && setKept(snapshot));
    return () => {
      current = false;
    };
  }, [accountId]);
  useEffect(() => {
    if (!rooms) return;
    const timer = setTimeout(() => void offlineStore(accountId).saveRooms(rooms), SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [accountId, rooms]);
  return kept;
}

/** Keeps the open room's newest page for reading it offline (the outbox keeps what is still to go). */
export function useKeptPage(accountId: string, roomId: string, timeline: readonly TimelineItem[] | null) {
  useEffect(() => {
    if (!timeline) return;
    const timer = setTimeout(() => {
      const messages = timeline.flatMap((item) => (item.kind === 'message' ? [item.message] : []));
      void offlineStore(accountId).savePage(roomId, messages.slice(-KEPT_MESSAGES));
    }, SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [accountId, roomId, timeline]);
}
