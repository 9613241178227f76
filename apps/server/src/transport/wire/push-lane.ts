import type { AppRouter, ChatEvent, ChatMessage, EventWriter, MessageWriter } from '@chat/api';
import { EVERYONE_ROOM_ID, onEventInput, onMessageInput } from '@chat/api/schemas';
import type { inferRouterInputs } from '@trpc/server';
import type { RawData, WebSocket } from 'ws';
import { cachedJson } from './ws-encoder';
import { sendFrame, textFrame } from './ws-frame';

/** The subscriptions whose live items can take the lane. */
type LanePath = 'chat.onMessage' | 'chat.onEvent';

interface Pending {
  id: string | number;
  jsonrpc: string | undefined;
  path: LanePath;
  lastEventId: string | null;
}

/** A handed-over subscription the lane holds after the adapter ended its part (docs/decisions/122). */
interface Kept {
  claimed: Pending;
  stop: () => void;
  /** The adapter's own `stopped`, sent when its iterator ended, is still to be withheld. */
  withholding: boolean;
}

/** What the adapter sends when a subscription ends: `{ id, jsonrpc?, result: { type: 'stopped' } }`. */
const stoppedFrame = ({ id, jsonrpc }: Pending) => JSON.stringify({ id, jsonrpc, result: { type: 'stopped' } });

/** The inputs as the router declares them: what a subscription frame's params carry. */
type OnMessageInput = inferRouterInputs<AppRouter>['chat']['onMessage'];
type OnEventInput = inferRouterInputs<AppRouter>['chat']['onEvent'];

const isObject = (v: unknown): v is Record<string, unknown> => !!v && !Array.isArray(v) && typeof v === 'object';

/** The input the procedure sees: the adapter merges a top-level lastEventId (wsLink's resume) into it, like this. */
function mergedInput(input: unknown, lastEventId: unknown): unknown {
  if (lastEventId === undefined) return input;
  if (isObject(input)) return { ...input, lastEventId };
  return input ?? { lastEventId };
}

/** The subscription's effective input, read with the procedure's own schema; null when it cannot take the lane. */
function claimableInput(path: unknown, input: unknown, lastEventId: unknown): { path: LanePath; lastEventId: string | null } | null {
  if (path !== 'chat.onMessage' && path !== 'chat.onEvent') return null;
  const merged = mergedInput(input, lastEventId);
  try {
    if (path === 'chat.onEvent') {
      const parsed = onEventInput.safeParse(merged);
      if (!parsed.success) return null;
      const data: OnEventInput = parsed.data;
      return { path, lastEventId: data?.lastEventId ?? null };
    }
    const parsed = onMessageInput.safeParse(merged);
    // Invalid input is refused by the adapter, and never claims.
    if (!parsed.success) return null;
    const data: OnMessageInput = parsed.data;
    // A room's subscription is not the #everyone broadcast the lane writes.
    if (data?.roomId !== undefined && data.roomId !== EVERYONE_ROOM_ID) return null;
    return { path, lastEventId: data?.lastEventId ?? null };
  } catch {
    // This runs in the socket's frame listener: nothing a client sends may throw out of it.
    return null;
  }
}

/** Unclaimed subscription frames kept per socket (a frame with invalid input is never claimed). */
const MAX_PENDING = 16;

/**
 * A broadcast's frames by subscription head: clients of one kind open their subscriptions in the
 * same order, so most share an id and so a frame. Bounded, since ids are the clients' choice.
 */
const framesByMessage = new WeakMap<ChatMessage, Map<string, Buffer>>();
const MAX_HEADS_PER_MESSAGE = 64;
/**
 * chat.onEvent's frames of a shared event by cursor, then head. A durable event has one cursor (its
 * id); an ephemeral one carries each stream's last durable id, which streams in the same rooms share.
 */
const framesByEvent = new WeakMap<ChatEvent, Map<string, Map<string, Buffer>>>();
const MAX_CURSORS_PER_EVENT = 64;

/** Only a frozen payload cannot go stale in a cache. */
const payloadJson = (payload: object) => (Object.isFrozen(payload) ? cachedJson(payload) : JSON.stringify(payload));

/** The adapter's frame for `tracked(trackedId, data)`, after `head` (`{"id":…,"result":{"type":"data","data":{"id":`). */
const trackedText = (head: string, trackedId: string, data: object) => {
  const id = JSON.stringify(trackedId);
  return `${head}${id},"data":${payloadJson(data)}},"id":${id}}}`;
};

function broadcastFrame(head: string, message: ChatMessage): Buffer {
  // Only a frozen message (the feed freezes what it delivers) cannot go stale in the cache.
  if (!Object.isFrozen(message)) return textFrame(trackedText(head, message.id, message));
  let frames = framesByMessage.get(message);
  if (!frames) framesByMessage.set(message, (frames = new Map()));
  let frame = frames.get(head);
  if (!frame) {
    frame = textFrame(trackedText(head, message.id, message));
    if (frames.size < MAX_HEADS_PER_MESSAGE) frames.set(head, frame);
  }
  return frame;
}

function eventFrame(head: string, cursor: string, event: ChatEvent): Buffer {
  if (!Object.isFrozen(event)) return textFrame(trackedText(head, cursor, event));
  let byCursor = framesByEvent.get(event);
  if (!byCursor) framesByEvent.set(event, (byCursor = new Map()));
  let frames = byCursor.get(cursor);
  if (!frames) {
    frames = new Map();
    if (byCursor.size < MAX_CURSORS_PER_EVENT) byCursor.set(cursor, frames);
  }
  let frame = frames.get(head);
  if (!frame) {
    frame = textFrame(trackedText(head, cursor, event));
    if (frames.size < MAX_HEADS_PER_MESSAGE) frames.set(head, frame);
  }
  return frame;
}

/**
 * Watches a socket's incoming frames for chat.onMessage and chat.onEvent subscriptions, so that the
 * resolver of one can claim a writer for its subscription id: the adapter does not tell a resolver
 * its id. The server shows it each frame before tRPC's handler sees it. The frames it writes are
 * exactly what the adapter writes for a tracked item (tests compare them with the iterator path).
 */
export class SocketPushLane {
  /** Made on a socket's first subscription frame, dropped again once every one is claimed. */
  private pending: Pending[] | null = null;
  /** Subscriptions the lane holds by itself, made on the first one. */
  private kept: Kept[] | null = null;
  /** Kept subscriptions whose adapter `stopped` frame has not been withheld yet (most sends skip the check). */
  private withholding = 0;

  constructor(private readonly socket: WebSocket) {}

  observe(raw: RawData, isBinary: boolean) {
    if (isBinary) return;
    const text = raw.toString();
    // Only frames that can concern the lane's subscriptions are parsed a second time.
    if (!text.includes('chat.onMessage') && !text.includes('chat.onEvent') && !text.includes('subscription.stop')) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    for (const frame of Array.isArray(parsed) ? parsed : [parsed]) {
      if (!frame || typeof frame !== 'object') continue;
      const { id, method, params, jsonrpc } = frame as { id?: unknown; method?: unknown; params?: unknown; jsonrpc?: unknown };
      if (typeof id !== 'string' && typeof id !== 'number') continue;
      if (method === 'subscription.stop') {
        const at = this.pending?.findIndex((p) => p.id === id) ?? -1;
        if (at >= 0) this.pending?.splice(at, 1);
        this.stopKept(id);
        continue;
      }
      if (method !== 'subscription' || !params || typeof params !== 'object') continue;
      const { path, input, lastEventId } = params as { path?: unknown; input?: unknown; lastEventId?: unknown };
      const claimable = claimableInput(path, input, lastEventId);
      if (!claimable) continue;
      const pending = (this.pending ??= []);
      // A literal, not a spread: a claimed one is kept for the subscription's life, and V8 gives objects
      // made by a spread plus properties a hidden class each.
      pending.push({ id, jsonrpc: typeof jsonrpc === 'string' ? jsonrpc : undefined, path: claimable.path, lastEventId: claimable.lastEventId });
      if (pending.length > MAX_PENDING) pending.shift();
    }
  }

  /** A writer for this socket's #everyone chat.onMessage subscription with this lastEventId, or null. */
  claim(lastEventId: string | null): MessageWriter | null {
    const claimed = this.take('chat.onMessage', lastEventId);
    return claimed && pushWriter(this, this.socket, claimed);
  }

  /** A writer for this socket's chat.onEvent subscription with this lastEventId, or null. */
  claimEvents(lastEventId: string | null): EventWriter | null {
    const claimed = this.take('chat.onEvent', lastEventId);
    return claimed && eventWriter(this, this.socket, claimed);
  }

  /**
   * Takes over a handed-over subscription: the adapter's iterator ends (its `stopped` frame is
   * withheld), and from then on the lane answers the client's `subscription.stop` with that frame
   * and calls `stop`, as the adapter would have; a closed socket stops it too.
   */
  keep(claimed: Pending, stop: () => void): boolean {
    if (this.socket.readyState !== this.socket.OPEN) return false;
    const kept: Kept = { claimed, stop, withholding: true };
    // `[kept]`, not `[].push(kept)`: a push into an empty array reserves 17 slots, held for the subscription's life.
    if (this.kept) this.kept.push(kept);
    else this.kept = [kept];
    this.withholding++;
    return true;
  }

  /** Whether this frame of the adapter is the `stopped` of a subscription the lane now holds (then it must not go out). */
  withholds(data: unknown): boolean {
    if (this.withholding === 0 || typeof data !== 'string' || !this.kept) return false;
    const kept = this.kept.find((k) => k.withholding && stoppedFrame(k.claimed) === data);
    if (!kept) return false;
    kept.withholding = false;
    this.withholding--;
    return true;
  }

  /** The client stopped a subscription: if the lane holds it, end it and say so as the adapter would. */
  private stopKept(id: string | number) {
    const at = this.kept?.findIndex((k) => k.claimed.id === id) ?? -1;
    if (at < 0) return;
    const [kept] = this.kept!.splice(at, 1);
    if (this.kept!.length === 0) this.kept = null;
    kept!.stop();
    // Its iterator's end not yet sent (the stop came first): that frame is the answer, not withheld.
    if (kept!.withholding) this.withholding--;
    else this.socket.send(stoppedFrame(kept!.claimed));
  }

  /** The socket closed: every subscription the lane holds ends. */
  close() {
    const kept = this.kept;
    this.kept = null;
    this.withholding = 0;
    if (kept) for (const k of kept) k.stop();
  }

  private take(path: LanePath, lastEventId: string | null) {
    const pending = this.pending ?? [];
    const matches = pending.filter((p) => p.path === path && p.lastEventId === lastEventId);
    // Two open subscriptions that look alike cannot be told apart: let both take the iterator path.
    if (matches.length !== 1) return null;
    const claimed = matches[0]!;
    pending.splice(pending.indexOf(claimed), 1);
    if (pending.length === 0) this.pending = null;
    return claimed;
  }
}

/** One copy of each frame head: clients of one kind use the same ids, and a writer keeps its head for hours. Bounded, since ids are the clients' choice. */
const heads = new Map<string, string>();
const MAX_HEADS = 64;

function frameHead(claimed: Pending): string {
  const head = `{"id":${JSON.stringify(claimed.id)}${claimed.jsonrpc === undefined ? '' : `,"jsonrpc":${JSON.stringify(claimed.jsonrpc)}`},"result":{"type":"data","data":{"id":`;
  const shared = heads.get(head);
  if (shared) return shared;
  if (heads.size < MAX_HEADS) heads.set(head, head);
  return head;
}

/**
 * Module-level, so the writer a subscription keeps holds only its socket, frame head and claim;
 * its `keep` shares that one scope (one context for both closures).
 */
function pushWriter(lane: SocketPushLane, socket: WebSocket, claimed: Pending): MessageWriter {
  const head = frameHead(claimed);
  const write = (message: ChatMessage) => {
    if (socket.readyState !== socket.OPEN) return false;
    sendFrame(socket, broadcastFrame(head, message), () => trackedText(head, message.id, message));
    return true;
  };
  return Object.assign(write, { keep: (stop: () => void) => lane.keep(claimed, stop) });
}

function eventWriter(lane: SocketPushLane, socket: WebSocket, claimed: Pending): EventWriter {
  const head = frameHead(claimed);
  const write = (cursor: string, event: ChatEvent) => {
    if (socket.readyState !== socket.OPEN) return false;
    sendFrame(socket, eventFrame(head, cursor, event), () => trackedText(head, cursor, event));
    return true;
  };
  return Object.assign(write, { keep: (stop: () => void) => lane.keep(claimed, stop) });
}
