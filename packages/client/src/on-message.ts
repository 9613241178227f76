import type { AppRouter, ChatMessage } from '@chat/api';
import type { TRPCClient } from '@trpc/client';
import { resumable } from './core';

export interface OnMessageOptions {
  /**
   * Deliver messages after this id (e.g. one you saved before a restart). By default the
   * stream starts at the newest message when `onMessage` is called: no history replay.
   */
  after?: string;
  /** Gets errors thrown by the handler and a failed subscription; by default they are logged. */
  onError?: (error: unknown) => void;
}

export interface MessageSubscription {
  /** Resolves once the server has started the stream: every message sent after it is delivered. */
  ready: Promise<void>;
  /** The id of the last message handed to the handler. */
  readonly lastMessageId: string | null;
  /** Stops the stream; resolves once the handler has finished the messages it already got. */
  unsubscribe(): Promise<void>;
}

export type MessageHandler = (message: ChatMessage) => void | Promise<void>;

const logError = (error: unknown) => console.error('[@chat/client] onMessage:', error);

/**
 * Live messages of #everyone in id order, one handler call at a time. The subscription is
 * tracked, so when the socket drops, wsLink resubscribes with the last id it delivered and the
 * server replays whatever was sent meanwhile: no gap and no duplicate across reconnects. A stream
 * the server ends with a retryable refusal (SERVICE_UNAVAILABLE while its database is down) is
 * opened again after a pause, from the last message delivered; only the first refusal of a run is reported.
 */
export function subscribeToMessages(trpc: TRPCClient<AppRouter>, handler: MessageHandler, opts: OnMessageOptions = {}): MessageSubscription {
  const stream = resumable<ChatMessage>(
    {
      now: () => trpc.chat.history.query({ limit: 1 }).then((page) => page.messages.at(-1)?.id ?? null),
      open: (lastEventId, handlers) => {
        const subscription = trpc.chat.onMessage.subscribe(
          { lastEventId },
          { ...handlers, onData: ({ data: message }) => handlers.onData(message) },
        );
        return () => subscription.unsubscribe();
      },
      idOf: (message) => message.id,
    },
    handler,
    opts.after,
    opts.onError ?? logError,
  );
  return {
    ready: stream.ready,
    get lastMessageId() {
      return stream.lastId;
    },
    unsubscribe: () => stream.stop(),
  };
}
