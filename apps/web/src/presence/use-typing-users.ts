import { useEffect, useReducer } from 'react';
import { trpc } from '../api/trpc';
import { useConnectionStatus } from '../connection/ConnectionContext';
import { noOneTyping, typingReducer, type TypingUsers } from './typing-users';
import { useRestartLater } from './use-restart-later';

/** Who else is typing now, from chat.onTyping; never `meId`. */
export function useTypingUsers(meId: string): TypingUsers {
  const [users, dispatch] = useReducer(typingReducer, noOneTyping);
  // A stop sent while the socket was down is lost; the resumed feed starts with who still types.
  const connected = useConnectionStatus().kind === 'connected';
  useEffect(() => {
    if (!connected) dispatch({ type: 'reset' });
  }, [connected]);

  const restart = useRestartLater();
  const subscription = trpc.chat.onTyping.useSubscription(undefined, {
    onData: (event) => dispatch({ type: 'event', event, meId }),
    onError: restart.later,
    onComplete: restart.later,
  });
  useEffect(() => restart.bind(subscription.reset));
  return users;
}
