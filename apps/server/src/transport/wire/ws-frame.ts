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
 * Sockets written to in this turn of the event loop, corked until its check phase: a subscriber
 * then gets every message of the turn (all the commits one poll phase saw) in one write, and its
 * client in one read. Idle, that is one message per write, as before; under load, the batches
 * grow with the backlog instead of the backlog growing with per-message syscalls.
 */
const corked: Socket[] = [];
let flushScheduled = false;
const flush = () => {
  flushScheduled = false;
  for (const raw of corked.splice(0)) raw.uncork();
};

/**
 * Writes a frame built by `textFrame` to an open socket, held until the end of this event-loop
 * turn. ws's public `send` frames every call anew; its Sender's `sendFrame` takes ready frames
 * (Socket.IO's broadcasts use it the same way). Only while nothing is queued in the Sender, so
 * frames keep their order; otherwise, and on a ws without that method, it falls back to `send`.
 */
export function sendFrame(socket: WebSocket, frame: Buffer, text: () => string): void {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  if (raw && raw.writableCorked === 0) {
    raw.cork();
    corked.push(raw);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  }
  const sender = (socket as unknown as { _sender?: FrameSender })._sender;
  if (sender && sender._state === 0 && typeof sender.sendFrame === 'function') sender.sendFrame([frame]);
  else socket.send(text());
}
