import { type ChatClient, type ChatStreamEvent, TRPCClientError } from '@chat/client';
import { errorMessage, type Logger } from './log';
import { retryEvent } from './bot';
import { retryTransient, type RetryOptions } from './retry';

export interface ModeratorBotOptions {
  /** The bot's account must moderate the rooms it watches: an admin or owner in them, or their creator. */
  client: ChatClient;
  log: Logger;
  /** A message whose text matches is removed. */
  rule: RegExp;
  /** Kept in the server's audit log with each removal. */
  reason: string;
  retry?: Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;
}

export interface ModeratorBot {
  ready: Promise<void>;
  stop(): Promise<void>;
}

const codeOf = (error: unknown) => (error instanceof TRPCClientError ? (error.data?.code as string | undefined) : undefined);

/**
 * The second example bot: removes every message, new or edited, whose text matches `rule`, with
 * `chat.delete` and a reason, in every room it is in. Where it is not a moderator the server
 * answers FORBIDDEN; it says so once per room and leaves the room's messages alone.
 */
export function startModeratorBot({ client, log, rule, reason, retry }: ModeratorBotOptions): ModeratorBot {
  const shutdown = new AbortController();
  const notModerator = new Set<string>();

  async function handle(event: ChatStreamEvent) {
    if (event.type !== 'message.created' && event.type !== 'message.edited') return;
    const { message, roomId } = event;
    if (message.author.id === client.me.id || message.deleted || notModerator.has(roomId)) return;
    // A global or sticky rule would carry lastIndex from one message to the next.
    rule.lastIndex = 0;
    if (!rule.test(message.text)) return;
    try {
      await retryTransient(() => client.chat.delete.mutate({ messageId: message.id, reason }), {
        ...retry,
        signal: shutdown.signal,
        onRetry: (delayMs, attempt, error) => log.warn(retryEvent(error), { retryInMs: delayMs, attempt }),
      });
      log.info('removed', { author: message.author.username, messageId: message.id, roomId });
    } catch (error) {
      if (codeOf(error) === 'FORBIDDEN') {
        notModerator.add(roomId);
        log.warn('not a moderator here', { roomId });
      } else if (codeOf(error) !== 'NOT_FOUND') {
        // NOT_FOUND: the message went (or the bot left the room) before it acted.
        log.error('remove failed', { messageId: message.id, error: errorMessage(error) });
      }
    }
  }

  const subscription = client.onEvent(handle, {
    onError: (error) => {
      if (!shutdown.signal.aborted) log.error('failed', { error: errorMessage(error) });
    },
  });
  return {
    ready: subscription.ready,
    async stop() {
      shutdown.abort(new Error('bot stopped'));
      await subscription.unsubscribe();
    },
  };
}
