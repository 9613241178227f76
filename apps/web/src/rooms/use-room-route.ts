import { useCallback, useEffect, useState } from 'react';
import { pathForRoom, roomIdFromPath } from './room-route';

/** The room the address bar names, and a way to open another (a history entry each, so Back works). */
export function useRoomRoute(): [roomId: string | 'invalid', open: (roomId: string, replace?: boolean) => void] {
  const [roomId, setRoomId] = useState(() => roomIdFromPath(window.location.pathname));
  useEffect(() => {
    const onPop = () => setRoomId(roomIdFromPath(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const open = useCallback((next: string, replace = false) => {
    const path = pathForRoom(next);
    if (window.location.pathname !== path) window.history[replace ? 'replaceState' : 'pushState'](null, '', path);
    setRoomId(next);
  }, []);
  return [roomId, open];
}
