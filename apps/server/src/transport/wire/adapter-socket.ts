import { type RawData, WebSocket } from 'ws';
import type { Reply } from './trpc-frames';
import { replyOf } from './ws-encoder';

/*
 * How the server stands between a socket and tRPC's adapter (docs/decisions/010, 122, 126): the
 * adapter's one message listener is taken off the socket and fed only what the gate admits, and the
 * socket's `send` is replaced so that each reply of the adapter is seen (and may be withheld) first.
 * Both rely on ws 8.23.0 and the adapter of @trpc/server 11.25.2 (pinned); the gate fails closed.
 */

export type FrameListener = (raw: RawData, isBinary: boolean) => void;

/** ws's own send: for frames that are not the adapter's replies (the gate's refusals). */
const rawSend = WebSocket.prototype.send as (this: WebSocket, data: unknown, ...rest: unknown[]) => void;

export const sendRaw = (socket: WebSocket, text: string) => rawSend.call(socket, text);

/**
 * Takes the listener the adapter just added off `socket` (every other is `ours`) and returns it, or
 * null when there is not exactly one: a frame that bypassed the gate would escape every limit.
 */
export function takeAdapterListener(socket: WebSocket, ours: FrameListener): FrameListener | null {
  const theirs = socket.listeners('message').filter((l) => l !== ours) as FrameListener[];
  if (theirs.length !== 1) return null;
  socket.off('message', theirs[0]!);
  return theirs[0]!;
}

/**
 * Makes the `send` that sockets get: `onReply(socket, reply)` sees each reply of the adapter (read
 * from its encoder, not re-parsed) before it goes out, and withholds it by returning false. One
 * function for every socket: nothing per socket but the property.
 */
export function replyObserver(onReply: (socket: WebSocket, reply: Reply) => boolean) {
  function observedSend(this: WebSocket, data: unknown, ...rest: unknown[]) {
    const reply = replyOf(data);
    if (reply && !onReply(this, reply)) return;
    rawSend.call(this, data, ...rest);
  }
  return (socket: WebSocket) => {
    socket.send = observedSend as WebSocket['send'];
  };
}
