import type { AppRouter, ChatMessage } from '@chat/api';
import type { TRPCClient } from '@trpc/client';

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
 * Live messages in id order, one handler call at a time. The subscription is tracked, so when
 * the socket drops, wsLink resubscribes with the last id it delivered and the server replays
 * whatever was sent meanwhile: no gap and no duplicate across reconnects.
 */
export function subscribeToMessages(trpc: TRPCClient<AppRouter>, handler: MessageHandler, opts: OnMessageOptions = {}): MessageSubscription {
  const report = opts.onError ?? logError;
  let stopped = false;
  let lastMessageId: string | null = null;
  let unsubscribeTrpc: (() => void) | null = null;
  // Handlers run one after another, so a slow reply never reorders the conversation.
  let handled: Promise<void> = Promise.resolve();

  const ready = (async () => {
    const after = opts.after ?? (await trpc.chat.history.query({ limit: 1 })).messages.at(-1)?.id ?? null;
    if (stopped) return;
    await new Promise<void>((resolve, reject) => {
      const subscription = trpc.chat.onMessage.subscribe(
        { lastEventId: after },
        {
          onStarted: () => resolve(),
          onData: ({ data: message }) => {
            lastMessageId = message.id;
            handled = handled.then(() => handler(message)).catch(report);
          },
          onError: (error) => {
            report(error);
            reject(error);
          },
          onComplete: () => resolve(),
        },
      );
      unsubscribeTrpc = () => subscription.unsubscribe();
    });
  })();
  // The caller may never await `ready`; its failure is reported through `report` anyway.
  ready.catch(() => undefined);

  return {
    ready,
    get lastMessageId() {
      return lastMessageId;
    },
    async unsubscribe() {
      stopped = true;
      unsubscribeTrpc?.();
      await handled;
    },
  };
}
