import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * A complete, unmasked WebSocket text frame (RFC 6455 §5.2): header and payload in one buffer, so
 * a broadcast builds it once and every subscriber's socket gets the same bytes in one write.
 */
export function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + n);
  frame[0] = 0x81; // FIN + text opcode
  if (n < 126) frame[1] = n;
  else if (n < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/** The part of ws's Sender this relies on (ws 8: `_state` 0 means no compression or blob read is queued). */
interface FrameSender {
  _state?: number;
  sendFrame?: (list: Buffer[], cb?: (error?: Error) => void) => void;
}

/**
 * When a socket's frames go out. Idle (one message per subscriber per turn of the event loop), a
 * frame is written at once: a broadcast's first subscribers are written to while the dispatcher
 * still hands the message to the rest. Corking every frame held all of them until the whole fan-out
 * was handed over, which added the hand-over of every stream (~25 ms at 10,000) to the median.
 * Busy (some subscriber got two or more frames in the last turn: several commits per poll phase),
 * every socket written to is corked until the turn's check phase, so a subscriber gets all of a
 * turn's messages in one write and its client in one read: the batches grow with the backlog
 * instead of the syscalls. An idle turn that turns busy corks from each socket's second frame on.
 */
const corked: Socket[] = [];
/** The turn each socket was last written to in: a number on the socket, not a set to clear every turn. */
const writtenIn = Symbol('ws-frame turn');
let turn = 0;
/** The last turn had a socket with more than one frame: cork from the first frame. */
let batching = false;
/** This turn has one. */
let repeated = false;
let flushScheduled = false;
const flush = () => {
  flushScheduled = false;
  turn++;
  batching = repeated;
  repeated = false;
  for (const raw of corked.splice(0)) raw.uncork();
  // Busy says "the last turn": one more check phase ends it, so a burst's flag never outlives the burst.
  if (batching) {
    flushScheduled = true;
    setImmediate(flush);
  }
};

/**
 * Writes a frame built by `textFrame` to an open socket, at once or at the end of the turn (above).
 * ws's public `send` frames every call anew; its Sender's `sendFrame` takes ready frames (Socket.IO's
 * broadcasts use it the same way). Only while nothing is queued in the Sender, so frames keep their
 * order; otherwise, and on a ws without that method, it falls back to `send`.
 */
export function sendFrame(socket: WebSocket, frame: Buffer, text: () => string): void {
  const raw = (socket as unknown as { _socket?: Socket & { [writtenIn]?: number } })._socket;
  if (raw) {
    const again = raw[writtenIn] === turn;
    raw[writtenIn] = turn;
    if (again) repeated = true;
    if ((again || batching) && raw.writableCorked === 0) {
      raw.cork();
      corked.push(raw);
    }
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  }
  const sender = (socket as unknown as { _sender?: FrameSender })._sender;
  if (sender && sender._state === 0 && typeof sender.sendFrame === 'function') sender.sendFrame([frame]);
  else socket.send(text());
}
