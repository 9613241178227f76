import type { AppRouter, PublicUser } from '@chat/api';
import { MAX_BATCH_CALLS } from '@chat/api/schemas';
import { tap } from '@trpc/server/observable';
import { createTRPCClient, createWSClient, httpBatchLink, httpLink, splitLink, type TRPCClient, TRPCClientError, type TRPCLink, wsLink } from '@trpc/client';
import { type BotOutbox, createBotOutbox } from './bot-outbox';
import { type ChatFiles, createChatFiles } from './files';
import { type ConnectionStateSource, ConnectionStateBox } from './connection-state';
import { type EventHandler, type EventSubscription, type OnEventOptions, subscribeToEvents } from './on-event';
import { type MessageHandler, type MessageSubscription, type OnMessageOptions, subscribeToMessages } from './on-message';
import { type Credentials, Session, unauthorized } from './session';
import { watchedWebSocket } from './socket-watch';
import { errorCode, isRefusal, socketCloseReason, toTrpcUrl, toWebSocketUrl } from './core';

export type ChatClientOptions = {
  /** The server's http(s) base URL, e.g. http://localhost:8080; the WebSocket URL is derived. */
  url: string;
  /**
   * Called once when the client gives up for good: the server refused our token and it cannot be
   * replaced (a bare token whose refresh is refused or that was logged out, a password that no longer works).
   */
  onError?: (error: TRPCClientError<AppRouter>) => void;
  /** Delay before reconnect attempt `attempt` (0-based); by default 0.5 s doubling to 10 s. */
  retryDelayMs?: (attempt: number) => number;
  /** Keep-alive pings, so a dead connection is noticed (and replaced) within seconds. */
  keepAlive?: { intervalMs?: number; pongTimeoutMs?: number };
  /** How long `createChatClient` waits for the WebSocket before rejecting; 30 s by default. */
  connectTimeoutMs?: number;
  /** For runtimes without a global WebSocket; Node 20 gets the `ws` package by default. */
  WebSocket?: typeof WebSocket;
} & ({ token: string } | Credentials);

export interface ChatClientExtras {
  /** The user this client acts as. */
  readonly me: PublicUser;
  /** The typed tRPC proxy itself; its routers are also on the client (`client.chat...`). */
  readonly trpc: TRPCClient<AppRouter>;
  /** New messages in #everyone (the API before rooms; kept for bots written against it). */
  onMessage(handler: MessageHandler, opts?: OnMessageOptions): MessageSubscription;
  /** Everything the client may see in all its rooms, resumable: messages and their edits, deletes and reactions, mentions, membership, reads, typing, presence. */
  onEvent(handler: EventHandler, opts?: OnEventOptions): EventSubscription;
  readonly connectionState: ConnectionStateSource;
  /**
   * Sends, edits and reactions that survive a dropped connection or a server restart: queued,
   * sent in order once connected, retried with the same clientMessageId, so each lands once.
   */
  readonly outbox: BotOutbox;
  /** Attachments: `upload` (resumable, with this session's token) then `chat.send({ roomId, text, attachmentIds })`; `download` reads one back. */
  readonly files: ChatFiles;
  /** Stops every subscription and closes the socket, so the process can exit. */
  close(): Promise<void>;
}

export type ChatClient = TRPCClient<AppRouter> & ChatClientExtras;

export const defaultRetryDelayMs = (attempt: number) => Math.min(500 * 2 ** attempt, 10_000);

/**
 * Logs in (or checks the token), opens the socket and resolves once it is connected.
 * Rejects with a TRPCClientError (`error.data.code`, e.g. UNAUTHORIZED) when the server refuses.
 *
 * Tokens: before the token expires the client gets a fresh one with `auth.refresh` (with a given
 * token as well as with credentials), and the socket, which the server closes when the old token
 * runs out (4401), reconnects with the new one; `onMessage` resumes from the last message it
 * delivered, so nothing is lost. A refused refresh means logging in again when there are
 * credentials, and otherwise the end: `onError` once, state `closed`.
 *
 * Logout: a token revoked elsewhere (close 4403) ends a client given a bare token (reported once,
 * no reconnect); a client with credentials logs in again, since a bot is meant to stay up (change
 * its password to lock it out). `client.auth.logout.mutate()` on the client itself ends it quietly,
 * like `close()`.
 */
export async function createChatClient(options: ChatClientOptions): Promise<ChatClient> {
  const trpcUrl = toTrpcUrl(options.url);
  // Logging in needs no token; a client of its own keeps it out of the authenticated batch.
  const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: trpcUrl })] });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const withToken = (token: string) => createTRPCClient<AppRouter>({ links: [httpLink({ url: trpcUrl, headers: bearer(token) })] });
  const session = new Session(
    'token' in options ? { token: options.token } : options,
    {
      login: (credentials) => anonymous.auth.login.mutate({ username: credentials.username, password: credentials.password }),
      signup: (credentials) => anonymous.auth.signup.mutate({ username: credentials.username, password: credentials.password }),
      me: (token) => withToken(token).auth.me.query(),
      refresh: (token) => withToken(token).auth.refresh.mutate(),
    },
    { onLost: (error) => giveUp(error) },
  );
  const me = await session.start().catch((error: unknown) => {
    session.stop();
    throw error;
  });

  const state = new ConnectionStateBox();
  let fatal: TRPCClientError<AppRouter> | null = null;
  let sentToken: string | null = null;
  let closing: Promise<void> | null = null;
  let started = false;
  // Set while this client logs its own token out: the 4403 that follows is expected.
  let loggingOut = false;

  const giveUp = (error: TRPCClientError<AppRouter>) => {
    if (fatal || closing) return;
    fatal = error;
    session.stop();
    state.set({ state: 'closed', error });
    // Before the first connection the returned promise rejects instead: one report, not two.
    if (started) options.onError?.(error);
    // Not from inside the socket's own event handler.
    setTimeout(() => void wsClient.close(), 0);
  };

  // Loaded only where there is no WebSocket (Node 20), so browser bundles never pull in `ws`.
  const BaseWebSocket = options.WebSocket ?? globalThis.WebSocket ?? ((await import('ws')).WebSocket as unknown as typeof WebSocket);
  const wsClient = createWSClient({
    url: toWebSocketUrl(options.url),
    WebSocket: watchedWebSocket(BaseWebSocket, {
      onRefused: (error) => {
        const code = errorCode(error);
        // Anything else (TOO_MANY_REQUESTS, a server error) may pass: tRPC retries with backoff.
        if (code === 'FORBIDDEN' || (code === 'UNAUTHORIZED' && !session.refused(sentToken))) giveUp(error);
      },
      onAccepted: () => session.accepted(),
    }),
    connectionParams: async () => {
      // Given up, closing or logged out: no new connection (wsClient stops retrying once closed).
      if (fatal) throw fatal;
      if (closing || loggingOut) throw new Error('Client closed');
      try {
        sentToken = await session.token();
        return { token: sentToken };
      } catch (error) {
        // A refused refresh or a wrong password will not get better by retrying; a server that is down will.
        if (isRefusal(error)) giveUp(error as TRPCClientError<AppRouter>);
        throw error;
      }
    },
    lazy: { enabled: false, closeMs: 0 },
    keepAlive: { enabled: true, intervalMs: options.keepAlive?.intervalMs ?? 10_000, pongTimeoutMs: options.keepAlive?.pongTimeoutMs ?? 5_000 },
    retryDelayMs: options.retryDelayMs ?? defaultRetryDelayMs,
    onClose: (cause) => {
      const reason = socketCloseReason(cause?.code);
      // The socket's token ran out: reconnect with the fresh one (renewed now if it is not yet).
      if (reason === 'expired') session.expired(sentToken);
      if (reason !== 'revoked') return;
      if (loggingOut) void close();
      else if (!session.revoked(sentToken)) giveUp(unauthorized('Your session token was revoked (logged out); log in again'));
    },
  });

  let everConnected = false;
  const wsState = wsClient.connectionState.subscribe({
    next: ({ state: trpcState, error }) => {
      if (trpcState === 'pending') {
        everConnected = true;
        state.set({ state: 'connected', error: null });
      } else if (trpcState === 'connecting') {
        state.set({ state: everConnected ? 'reconnecting' : 'connecting', error: error ?? null });
      }
    },
  });

  // Logging out (here or everywhere) through the client ends it, whichever socket token the server closes (or not).
  const watchLogout: TRPCLink<AppRouter> =
    () =>
    ({ op, next }) => {
      if (op.path !== 'auth.logout' && op.path !== 'auth.logoutEverywhere') return next(op);
      loggingOut = true;
      return next(op).pipe(tap({ error: () => (loggingOut = false), complete: () => void close() }));
    };
  const trpc = createTRPCClient<AppRouter>({
    links: [
      watchLogout,
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({ url: trpcUrl, maxItems: MAX_BATCH_CALLS, headers: async () => bearer(await session.token()) }),
      }),
    ],
  });

  const subscriptions = new Set<{ unsubscribe(): Promise<void> }>();
  const outbox = createBotOutbox(trpc, state);
  const close = () => {
    closing ??= (async () => {
      outbox.close();
      await Promise.all([...subscriptions].map((s) => s.unsubscribe()));
      session.stop();
      await wsClient.close();
      wsState.unsubscribe();
      state.set({ state: 'closed', error: null });
    })();
    return closing;
  };

  // Resolve once connected; a refusal, or no socket within the time allowed, rejects instead.
  const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      const why = state.get().error?.message;
      reject(TRPCClientError.from(new Error(`No WebSocket connection to ${toWebSocketUrl(options.url)} within ${connectTimeoutMs} ms${why ? `: ${why}` : ''}`)));
    }, connectTimeoutMs);
    const stop = state.subscribe(({ state: s, error }) => {
      if (s === 'connected') resolve();
      else if (s === 'closed') reject(error ?? new Error('Closed before connecting'));
      else return;
      clearTimeout(timer);
      queueMicrotask(() => stop());
    });
  }).catch(async (error: unknown) => {
    await close();
    throw error;
  });

  started = true;

  const extras: ChatClientExtras = {
    me,
    trpc,
    connectionState: state,
    outbox,
    files: createChatFiles(options.url, () => session.token()),
    close,
    onMessage(handler, opts) {
      const subscription = subscribeToMessages(trpc, handler, opts);
      subscriptions.add(subscription);
      return subscription;
    },
    onEvent(handler, opts) {
      const subscription = subscribeToEvents(trpc, handler, opts);
      subscriptions.add(subscription);
      return subscription;
    },
  };
  // The tRPC proxy cannot carry extra properties, so a proxy of ours serves both.
  return new Proxy(extras, {
    get: (target, prop, receiver) => (prop in target || typeof prop === 'symbol' ? Reflect.get(target, prop, receiver) : Reflect.get(trpc, prop)),
  }) as ChatClient;
}
