import { useEffect, useMemo } from 'react';
import { trpc } from '../api/trpc';
import { createTypingSignal, type TypingSignal } from './typing-signal';

/** Tells the room's other members when this user types; one signal per open room, stopped when it goes. */
export function useTypingSignal(roomId: string): TypingSignal {
  const utils = trpc.useUtils();
  const signal = useMemo(
    // Best effort: a refusal (TOO_MANY_REQUESTS included) or a network blip only costs an indicator.
    () => createTypingSignal((typing) => void utils.client.chat.typing.mutate({ typing, roomId }).catch(() => undefined)),
    [utils, roomId],
  );
  useEffect(() => () => signal.stop(), [signal]);
  return signal;
}
