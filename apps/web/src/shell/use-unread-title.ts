import { useCallback, useEffect, useState } from 'react';

const BASE_TITLE = 'Ember chat';

/** Counts messages that arrive while the tab is hidden and shows them in the title. */
export function useUnreadTitle() {
  const [unread, setUnread] = useState(0);

  useEffect(() => {
    const reset = () => {
      if (document.visibilityState === 'visible') setUnread(0);
    };
    document.addEventListener('visibilitychange', reset);
    return () => document.removeEventListener('visibilitychange', reset);
  }, []);

  useEffect(() => {
    document.title = unread ? `(${unread}) ${BASE_TITLE}` : BASE_TITLE;
  }, [unread]);

  useEffect(() => () => void (document.title = BASE_TITLE), []);

  return useCallback(() => {
    if (document.visibilityState === 'hidden') setUnread((n) => n + 1);
  }, []);
}
