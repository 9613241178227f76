import type { IncomingMessage } from 'node:http';
import { type ApiDeps, type AuthUser, CLOSE_CODES, type RequestIdentity } from '@chat/api';
import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../observability/logger';
import type { Observability } from '../observability/observability';
import { type FrameListener, replyObserver, sendRaw, takeAdapterListener } from './wire/adapter-socket';
import { SocketPushLane } from './wire/push-lane';
import { type GateLimits, SocketGate } from './wire/socket-gate';
import { RECONNECT_TEXT } from './wire/trpc-frames';
import { deliverParsed } from './wire/ws-encoder';

export interface SocketTiming {
  /** How long a socket may stay open without a valid connectionParams token. */
  authTimeoutMs: number;
  /** Unsent bytes past which a socket counts as a slow consumer and is cut off. */
  slowConsumerBytes: number;
  /** Quiet time after which the server sends tRPC's text PING... */
  pingMs: number;
  /** ...and how long it then waits for any frame before it drops the socket. */
  pongWaitMs: number;
  /** How often one sweep checks every socket for all of the above. */
  sweepMs: number;
}

/**
 * Everything the server keeps for one WebSocket, in one object. Listeners are shared by all
 * sockets and the deadlines are checked by one sweep, so a socket costs no closures or timers.
 */
export class ChatSocket {
  user: AuthUser | null = null;
  readonly openedAt = Date.now();
  /** When the peer last sent a frame (any frame answers a keep-alive PING). */
  lastSeenAt = this.openedAt;
  /** When a PING went unanswered so far; 0 when none is outstanding. */
  pingSentAt = 0;
  /** When a refresh replaced this socket's token: ask the client to move to the new one at moveAt, close at closeAt (ms; 0 = not replaced). */
  moveAt = 0;
  closeAt = 0;
  readonly lane: SocketPushLane;
  readonly gate: SocketGate;
  /** tRPC's frame listener, detached from the socket: frames reach it only through the gate. */
  deliver: FrameListener | null = null;

  constructor(
    readonly socket: WebSocket,
    readonly connectionId: string,
    limits: GateLimits,
    expectsConnectionParams: boolean,
    cutOffIfBehind?: (socket: WebSocket) => boolean,
  ) {
    this.lane = new SocketPushLane(socket, cutOffIfBehind);
    this.gate = new SocketGate(limits, expectsConnectionParams);
  }

  /** LiveSessions calls this when the socket's session is revoked (a logout, here or elsewhere). */
  revoke() {
    this.socket.close(CLOSE_CODES.tokenRevoked, 'token revoked');
  }

  /** LiveSessions calls this when a refresh rotated the session's token; the sweep acts on it. */
  rotated(currentTokenId: string, moveAt: number, closeAt: number) {
    if (!this.user || this.user.tokenId === currentTokenId || this.closeAt !== 0) return;
    // Before its own expiry too, which would otherwise close it first.
    this.moveAt = Math.min(moveAt, this.user.expiresAt * 1000 - 1_000);
    this.closeAt = closeAt;
  }
}

/**
 * The parts of an upgrade request that outlive the handshake. tRPC's adapter keeps the request
 * it is given for the socket's whole life (for createContext and onError); given this instead,
 * the IncomingMessage with its headers and parser state can be collected. It carries what the
 * adapter reads (url, host) and what RequestIdentity reads: ip (forwarded-for, peer address) and
 * webOrigin (origin, forwarded-proto, TLS), without which invite links made over a socket say http.
 */
export function handshakeOf(req: IncomingMessage): IncomingMessage {
  const { host, origin } = req.headers;
  const handshake = {
    url: req.url,
    headers: { host, origin, 'x-forwarded-for': req.headers['x-forwarded-for'], 'x-forwarded-proto': req.headers['x-forwarded-proto'] },
    socket: { remoteAddress: req.socket.remoteAddress, encrypted: 'encrypted' in req.socket && Boolean(req.socket.encrypted) },
  };
  return handshake as unknown as IncomingMessage;
}

/** Time for a refreshing client to adopt its new token before it is asked to reconnect with it. */
const MOVE_AFTER_MS = 1_000;

export function createChatSockets({ deps, logger, ops, identity, timing, limits }: { deps: ApiDeps; logger: Logger; ops: Observability; identity: RequestIdentity; timing: SocketTiming; limits: GateLimits }) {
  const sockets = new Map<WebSocket, ChatSocket>();

  // Shared listeners: `this` is the socket.
  function onMessage(this: WebSocket, raw: RawData, isBinary: boolean) {
    const state = sockets.get(this);
    if (!state) return;
    state.lastSeenAt = Date.now();
    state.pingSentAt = 0;
    // ws hands over Buffers (binaryType "nodebuffer"); anything else the adapter refuses unread.
    if (!Buffer.isBuffer(raw)) return state.deliver?.(raw, isBinary);
    const { forward, refusals, parsed } = state.gate.admit(raw, isBinary);
    for (const frame of refusals) sendRaw(this, frame);
    if (!forward || !state.deliver) return;
    if (!parsed) return state.deliver(forward, isBinary);
    // Parsed once, by the gate: the lane reads its calls, the adapter decodes to its value.
    state.lane.observe(parsed.calls);
    deliverParsed(state.deliver, forward, parsed.text, parsed.value);
  }
  /** Each reply of the adapter: the lane withholds the ends of what it holds, the gate frees what a reply ends. */
  const observeReplies = replyObserver((socket, reply) => {
    const state = sockets.get(socket);
    if (!state) return true;
    // The end of an iterator the lane took over: for the client, the subscription goes on.
    if (!state.lane.replied(reply)) return false;
    state.gate.sent(reply);
    return true;
  });
  function onClose(this: WebSocket, code: number) {
    const state = sockets.get(this);
    if (!state) return;
    sockets.delete(this);
    deps.pushLane.detach(state.connectionId, state.lane);
    state.lane.close();
    if (state.user) {
      deps.sessions.remove(state.user.sessionId, state);
      deps.presence.disconnected({ id: state.user.userId, username: state.user.username });
    }
    ops.sockets.closed(state, code);
  }

  /**
   * A reader that cannot keep up would make us buffer without bound; it resumes later by lastEventId.
   * True when it cut the socket off. The sweep and, at each write, the push lane apply this one rule.
   */
  const cutOffIfBehind = (socket: WebSocket) => {
    if (socket.bufferedAmount <= timing.slowConsumerBytes) return false;
    logger.warn({ bufferedAmount: socket.bufferedAmount }, 'websocket cut off: slow consumer');
    socket.terminate();
    return true;
  };
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [socket, state] of sockets) {
      if (socket.readyState !== socket.OPEN) continue;
      if (cutOffIfBehind(socket)) continue;
      if (!state.user && now - state.openedAt >= timing.authTimeoutMs) {
        socket.close(CLOSE_CODES.authTimeout, 'no connectionParams received');
        continue;
      }
      // A socket lives no longer than its token; the client reconnects with a fresh one.
      if (state.user && (now >= state.user.expiresAt * 1000 || (state.closeAt !== 0 && now >= state.closeAt))) {
        socket.close(CLOSE_CODES.tokenExpired, 'token expired');
        continue;
      }
      // Its token was replaced by a refresh: tRPC's clients open a socket with the new one and move their subscriptions over.
      if (state.moveAt !== 0 && now >= state.moveAt) {
        state.moveAt = 0;
        socket.send(RECONNECT_TEXT);
      }
      if (state.pingSentAt === 0) {
        if (now - state.lastSeenAt >= timing.pingMs) {
          socket.send('PING');
          state.pingSentAt = now;
        }
      } else if (now - state.pingSentAt >= timing.pongWaitMs) socket.terminate();
    }
  }, timing.sweepMs);
  sweep.unref();

  return {
    /**
     * A new socket, handed to tRPC's handler; the gate and the lane see each frame before the
     * adapter does, and the adapter sees only what the gate lets through.
     */
    serve(socket: WebSocket, req: IncomingMessage, handler: (socket: WebSocket, handshake: IncomingMessage) => void) {
      const handshake = handshakeOf(req);
      const expectsConnectionParams = new URL(req.url ?? '/', 'http://localhost').searchParams.get('connectionParams') === '1';
      const state = new ChatSocket(socket, identity.requestId(handshake), limits, expectsConnectionParams, cutOffIfBehind);
      sockets.set(socket, state);
      deps.pushLane.attach(state.connectionId, state.lane);
      socket.on('message', onMessage);
      // `on`, not `once`: close comes once, and `once` would wrap the shared listener per socket.
      socket.on('close', onClose);
      ops.sockets.opened(state, req);
      handler(socket, handshake);
      state.deliver = takeAdapterListener(socket, onMessage);
      if (!state.deliver) {
        // Fail closed: a frame that bypassed the gate would escape every per-socket limit.
        logger.error('websocket refused: expected exactly one tRPC message listener');
        socket.terminate();
        return;
      }
      observeReplies(socket);
    },
    authenticated(socket: WebSocket, user: AuthUser) {
      const state = sockets.get(socket);
      if (!state) return;
      state.user = user;
      ops.sockets.authenticated(state);
      deps.sessions.add(user.sessionId, state);
      // Opened with a token a refresh has replaced (the client had not switched yet): move it along soon.
      if (user.graceEndsAt !== null) {
        state.moveAt = Math.min(Date.now() + MOVE_AFTER_MS, user.graceEndsAt);
        state.closeAt = user.graceEndsAt;
      }
      deps.presence.connected({ id: user.userId, username: user.username });
    },
    close() {
      clearInterval(sweep);
    },
  };
}
