import { useEffect, useMemo } from 'react';
import { trpc } from '../api/trpc';
import { createTypingSignal, type TypingSignal } from './typing-signal';

/** Tells the others when this user types; one signal per chat screen, stopped when it goes. */
export function useTypingSignal(): TypingSignal {
  const utils = trpc.useUtils();
  const signal = useMemo(
    // Best effort: a refusal (TOO_MANY_REQUESTS included) or a network blip only costs an indicator.
    () => createTypingSignal((typing) => void utils.client.chat.typing.mutate({ typing }).catch(() => undefined)),
    [utils],
  );
  useEffect(() => () => signal.stop(), [signal]);
  return signal;
}
