import type { AppRouter, ChatMessage } from '@chat/api';
import type { TRPCClient } from '@trpc/client';
import { retryableDelayMs } from './core';

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
 * whatever was sent meanwhile: no gap and no duplicate across reconnects. A stream the server
 * ends with a retryable refusal (SERVICE_UNAVAILABLE while its database is down) is opened
 * again after a pause, from the last message delivered; only the first refusal of a run is reported.
 */
export function subscribeToMessages(trpc: TRPCClient<AppRouter>, handler: MessageHandler, opts: OnMessageOptions = {}): MessageSubscription {
  const report = opts.onError ?? logError;
  let stopped = false;
  let lastMessageId: string | null = null;
  let unsubscribeTrpc: (() => void) | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  // Handlers run one after another, so a slow reply never reorders the conversation.
  let handled: Promise<void> = Promise.resolve();

  const ready = new Promise<void>((resolveReady, rejectReady) => {
    /** `from` is where the stream began: undefined until known (the newest message when there is no `after`). */
    const open = (from: string | null | undefined) => {
      if (stopped) return resolveReady();
      const retryOrFail = (error: unknown, at: string | null | undefined) => {
        const delay = retryableDelayMs(error, failures);
        if (failures++ === 0 || delay === null) report(error);
        if (delay === null || stopped) return rejectReady(error);
        retryTimer = setTimeout(() => open(at), delay);
      };
      if (from === undefined) {
        trpc.chat.history.query({ limit: 1 }).then(
          (page) => open(page.messages.at(-1)?.id ?? null),
          (error: unknown) => retryOrFail(error, undefined),
        );
        return;
      }
      const subscription = trpc.chat.onMessage.subscribe(
        { lastEventId: lastMessageId ?? from },
        {
          onStarted: () => resolveReady(),
          onData: ({ data: message }) => {
            failures = 0;
            lastMessageId = message.id;
            handled = handled.then(() => handler(message)).catch(report);
          },
          onError: (error) => retryOrFail(error, from),
          onComplete: () => resolveReady(),
        },
      );
      unsubscribeTrpc = () => subscription.unsubscribe();
    };
    open(opts.after);
  });
  // The caller may never await `ready`; its failure is reported through `report` anyway.
  ready.catch(() => undefined);

  return {
    ready,
    get lastMessageId() {
      return lastMessageId;
    },
    async unsubscribe() {
      stopped = true;
      clearTimeout(retryTimer);
      unsubscribeTrpc?.();
      await handled;
    },
  };
}
