// The load clients: one per server kind, each as light as its protocol allows, so thousands fit in
// one load-generator process. They only report message texts; timing is the caller's business.
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { ServerKind } from '../targets';
import { connectionParamsFrame, sendFrame, subscriptionFrame, textOfItem, type TrpcReply } from './frames';

export interface LoadClient {
  /** Resolves once the client is authenticated and subscribed (ready to receive broadcasts). */
  ready: Promise<void>;
  /** Sends a chat message (to a room, if given); resolves when the server accepted it (ours: the mutation's reply). */
  send(text: string, roomId?: string): Promise<void>;
  /** The id of the last tracked event received (ours only): where a resubscription resumes. */
  lastEventId(): string | undefined;
  close(): void;
}

export interface ClientOptions {
  kind: ServerKind;
  /** Ours: the subscription a receiver opens (chat.onMessage, or chat.onEvent as the web app). */
  stream?: 'onMessage' | 'onEvent';
  /** Socket.IO: the rooms this client's socket joins before it counts as ready. */
  rooms?: string[];
  url: string;
  token?: string;
  /** Receivers subscribe; senders only send. */
  subscribe: boolean;
  /** Resume after this event id (ours: the server replays what was missed; the baselines cannot). */
  lastEventId?: string;
  onText?: (text: string) => void;
  onClose?: () => void;
}

const wsUrl = (url: string) => url.replace(/^http/, 'ws');

/**
 * What a load generator saves per frame, the same for ours and the raw ws baseline: no UTF-8
 * check of frames the server under test wrote, and (below) no JSON.parse of a broadcast just to
 * read its text. Each load process can then take a few hundred thousand frames per second;
 * the real @trpc/client connections of every run still parse everything (the cross-check).
 */
const LIGHT_SOCKET_OPTIONS = { perMessageDeflate: false, skipUTF8Validation: true } as const;

/** The `text` field of a serialised chat message, if it has one without escapes in it. */
function textField(frame: string): string | undefined {
  const at = frame.indexOf('"text":"');
  if (at < 0) return undefined;
  const end = frame.indexOf('"', at + 8);
  const text = frame.slice(at + 8, end);
  return end < 0 || text.includes('\\') ? undefined : text;
}

/** tRPC's frame for a tracked item of subscription 1: `{"id":1,"result":{"type":"data","data":{"id":…,"data":…},"id":"<event id>"}}`. */
const TRACKED_DATA_HEAD = '{"id":1,"result":{"type":"data","data":{';
const TRACKED_TAIL = /,"id":"(\d+)"\}\}$/;
/** chat.onEvent items without a message (presence, typing, room changes): counted by nobody, parsed by nobody. */
const MESSAGE_EVENT = '"type":"message.created"';

/** Speaks tRPC's wsLink wire format: connectionParams, then `subscription` / `mutation` calls by id. */
function trpcLightClient(opts: ClientOptions): LoadClient {
  const stream = opts.stream ?? 'onMessage';
  const socket = new WebSocket(`${wsUrl(opts.url)}/ws?connectionParams=1`, LIGHT_SOCKET_OPTIONS);
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let nextId = 2;
  let lastEventId = opts.lastEventId;
  let onReady!: () => void;
  let onFail!: (e: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((onReady = resolve), (onFail = reject)));
  socket.on('open', () => {
    socket.send(connectionParamsFrame(opts.token));
    if (opts.subscribe) socket.send(subscriptionFrame(stream, lastEventId));
    else onReady();
  });
  socket.on('message', (raw) => {
    const str = raw.toString();
    // tRPC's own keep-alive is a text PING that wants a PONG.
    if (str === 'PING') return socket.send('PONG');
    if (str === 'PONG') return;
    if (str.startsWith(TRACKED_DATA_HEAD)) {
      // chat.onEvent: everything but a new message (a presence change of each user coming online, …) is skipped unread.
      if (stream === 'onEvent' && !str.includes(MESSAGE_EVENT)) {
        lastEventId = TRACKED_TAIL.exec(str)?.[1] ?? lastEventId;
        return;
      }
      const eventId = TRACKED_TAIL.exec(str)?.[1];
      const text = textField(str);
      if (eventId !== undefined && text !== undefined) {
        lastEventId = eventId;
        return opts.onText?.(text);
      }
    }
    const msg = JSON.parse(str) as TrpcReply;
    if (msg.id === 1) {
      if (msg.result?.type === 'started') return onReady();
      if (msg.result?.type === 'data') {
        if (msg.result.id !== undefined) lastEventId = msg.result.id;
        // tracked(id, item) arrives as { id, data: item }.
        const text = textOfItem(stream, msg.result.data);
        if (text !== undefined) opts.onText?.(text);
        return;
      }
      if (msg.error) return onFail(new Error(`subscription refused: ${msg.error.message}`));
      return;
    }
    if (typeof msg.id === 'number') {
      const call = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) call?.reject(new Error(msg.error.message ?? 'mutation failed'));
      else call?.resolve();
    } else if (msg.error) onFail(new Error(`connection refused: ${msg.error.message}`));
  });
  socket.on('error', (e) => onFail(e));
  socket.on('close', (code, reason) => {
    onFail(new Error(`closed before ready (${code}${reason.length ? ` ${reason.toString()}` : ''})`));
    for (const call of pending.values()) call.reject(new Error('socket closed'));
    pending.clear();
    opts.onClose?.();
  });
  return {
    ready,
    send: (text, roomId) =>
      new Promise<void>((resolve, reject) => {
        const id = nextId++;
        // A reply that never comes counts as a failed send rather than hanging the run.
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error('no reply within 30 s'));
        }, 30_000);
        pending.set(id, { resolve: () => (clearTimeout(timer), resolve()), reject: (e) => (clearTimeout(timer), reject(e)) });
        socket.send(sendFrame(id, roomId === undefined ? { text } : { roomId, text }));
      }),
    lastEventId: () => lastEventId,
    close: () => socket.terminate(),
  };
}

/** The raw ws baseline's client: JSON in, JSON out, nothing else. */
function wsLightClient(opts: ClientOptions): LoadClient {
  const socket = new WebSocket(`${wsUrl(opts.url)}/ws`, LIGHT_SOCKET_OPTIONS);
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.on('message', (raw) => {
    const str = raw.toString();
    const text = textField(str) ?? (JSON.parse(str) as { text?: string }).text;
    if (text !== undefined) opts.onText?.(text);
  });
  socket.on('close', () => opts.onClose?.());
  return {
    ready,
    send: async (text) => socket.send(JSON.stringify({ text })),
    lastEventId: () => undefined,
    close: () => socket.terminate(),
  };
}

/** The real socket.io-client, WebSocket transport only (no long-polling upgrade dance). */
function socketIoClient(opts: ClientOptions): LoadClient {
  const socket: Socket = io(opts.url, { transports: ['websocket'], forceNew: true, reconnection: false });
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => (opts.rooms ? socket.emit('join', opts.rooms, () => resolve()) : resolve()));
    socket.once('connect_error', reject);
  });
  socket.on('message', (msg: { text?: string }) => {
    if (msg.text !== undefined) opts.onText?.(msg.text);
  });
  socket.on('disconnect', () => opts.onClose?.());
  return {
    ready,
    send: async (text, room) => void socket.emit('send', room === undefined ? { text } : { room, text }),
    lastEventId: () => undefined,
    close: () => socket.disconnect(),
  };
}

export function createLoadClient(opts: ClientOptions): LoadClient {
  if (opts.kind === 'ours') return trpcLightClient(opts);
  if (opts.kind === 'ws') return wsLightClient(opts);
  return socketIoClient(opts);
}
