import { useEffect, useReducer } from 'react';
import { trpc } from '../api/trpc';
import { noOneOnline, type OnlineUsers, presenceReducer } from './online-users';
import { useRestartLater } from './use-restart-later';

/** Everyone online now (the signed-in user included), kept current by chat.onPresence. */
export function useOnlineUsers(): OnlineUsers {
  const [users, dispatch] = useReducer(presenceReducer, noOneOnline);
  const restart = useRestartLater();
  // The server ends the stream after a fresh snapshot when this reader fell behind: start over.
  const subscription = trpc.chat.onPresence.useSubscription(undefined, { onData: dispatch, onError: restart.later, onComplete: restart.later });
  useEffect(() => restart.bind(subscription.reset));
  return users;
}
