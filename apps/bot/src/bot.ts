import { type ChatClient, type ChatStreamEvent, threadReplyOf } from '@chat/client';
import { parseCommand } from './commands';
import { errorMessage, type Logger } from './log';
import { isRateLimited, isUnavailable, retryTransient, type RetryOptions } from './retry';
import { reactionFor, replyTo } from './replies';

export interface BotOptions {
  client: ChatClient;
  log: Logger;
  random?: () => number;
  retry?: Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;
}

export interface Bot {
  /** Resolves once the bot is listening: it answers every message sent from then on. */
  ready: Promise<void>;
  /** Stops listening and abandons pending retries; the caller closes the client. */
  stop(): Promise<void>;
}

export const retryEvent = (error: unknown) => (isRateLimited(error) ? 'rate-limited' : isUnavailable(error) ? 'unavailable' : 'unreachable');

export function startBot({ client, log, random, retry }: BotOptions): Bot {
  const me = client.me;
  const shutdown = new AbortController();

  // One line per change of state, not one per failed retry while the server is away.
  let lastState: string | null = null;
  const stopLoggingState = client.connectionState.subscribe(({ state, error }) => {
    if (state === lastState) return;
    lastState = state;
    log[error ? 'warn' : 'info']('connection', { state, reason: error?.message });
  });

  async function handle(event: ChatStreamEvent) {
    // The server could not replay that far back: commands sent meanwhile are lost to us; say so once.
    if (event.type === 'resync') return log.warn('resync', { eventId: event.eventId });
    // A command asked in a thread is answered in that thread; one asked in the room, in the room.
    const inThread = threadReplyOf(event);
    if (!inThread && event.type !== 'message.created') return;
    const { message, roomId } = inThread ? { message: inThread.message, roomId: inThread.message.roomId } : (event as Extract<ChatStreamEvent, { type: 'message.created' }>);
    // Never answer ourselves: our replies would otherwise feed the next reply.
    if (message.author.id === me.id) return;
    const command = parseCommand(message.text, me.username);
    if (!command) return;
    log.info('command', { from: message.author.username, kind: command.kind, messageId: message.id, roomId });
    const text = await replyTo(command, {
      author: message.author.username,
      botUsername: me.username,
      searchUsers: (query) => client.user.search.query({ query, limit: 5 }),
      random,
    });
    const retrying = { ...retry, signal: shutdown.signal, onRetry: (delayMs: number, attempt: number, error: unknown) => log.warn(retryEvent(error), { retryInMs: delayMs, attempt }) };
    const sent = await retryTransient(
      // In the room (or DM) it was asked in, quoting the message; keyed by the message answered: a retry, or the same message seen again, never posts twice.
      () =>
        inThread
          ? client.thread.reply.mutate({ rootId: inThread.rootId, text, clientMessageId: `reply-${message.id}` })
          : client.chat.send.mutate({ roomId, text, replyTo: message.id, clientMessageId: `reply-${message.id}` }),
      retrying,
    );
    log.info('replied', { to: message.author.username, kind: command.kind, messageId: sent.id, roomId, ...(inThread ? { threadRootId: inThread.rootId } : {}) });
    // Reacting is idempotent (the same state twice is no change), so it is safe to retry.
    const emoji = reactionFor(command);
    try {
      await retryTransient(() => client.chat.react.mutate({ messageId: message.id, emoji, on: true }), retrying);
      log.info('reacted', { to: message.author.username, emoji, messageId: message.id, roomId });
    } catch (error) {
      // Deleted meanwhile, or the bot left the room: the answer stands, the reaction is not worth failing for.
      if (shutdown.signal.aborted) throw error;
      log.warn('reaction-refused', { messageId: message.id, reason: errorMessage(error) });
    }
  }

  // Every room the bot is in (#everyone, channels it joined, rooms it was added to, its DMs), on one stream.
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
      stopLoggingState();
    },
  };
}
