import type { AppRouter, ChatMessage } from '@chat/api';
import { EVERYONE_ROOM_ID, onMessageInput } from '@chat/api/schemas';
import type { inferRouterInputs } from '@trpc/server';
import type { RawData, WebSocket } from 'ws';
import { cachedJson } from './ws-encoder';
import { sendFrame, textFrame } from './ws-frame';

interface Pending {
  id: string | number;
  jsonrpc: string | undefined;
  lastEventId: string | null;
}

/** chat.onMessage's input as the router declares it: what a subscription frame's params carry. */
type OnMessageInput = inferRouterInputs<AppRouter>['chat']['onMessage'];

/** The subscription's effective input, read with the procedure's own schema; null when it cannot take the lane. */
function claimableInput(path: unknown, input: unknown, lastEventId: unknown): { lastEventId: string | null } | null {
  if (path !== 'chat.onMessage') return null;
  // The adapter merges a top-level lastEventId (wsLink's resume) into the input.
  const merged = lastEventId === undefined || lastEventId === null ? input : { ...(input && typeof input === 'object' ? input : {}), lastEventId };
  let parsed: ReturnType<typeof onMessageInput.safeParse>;
  try {
    parsed = onMessageInput.safeParse(merged);
  } catch {
    // This runs in the socket's frame listener: nothing a client sends may throw out of it.
    return null;
  }
  // Invalid input is refused by the adapter, and never claims.
  if (!parsed.success) return null;
  const data: OnMessageInput = parsed.data;
  // A room's subscription is not the #everyone broadcast the lane writes.
  if (data?.roomId !== undefined && data.roomId !== EVERYONE_ROOM_ID) return null;
  return { lastEventId: data?.lastEventId ?? null };
}

/** Unclaimed subscription frames kept per socket (a frame with invalid input is never claimed). */
const MAX_PENDING = 16;

/**
 * A broadcast's frames by subscription head: clients of one kind open their subscriptions in the
 * same order, so most share an id and so a frame. Bounded, since ids are the clients' choice.
 */
const framesByMessage = new WeakMap<ChatMessage, Map<string, Buffer>>();
const MAX_HEADS_PER_MESSAGE = 64;

const frameText = (head: string, message: ChatMessage) => {
  const id = JSON.stringify(message.id);
  return `${head}${id},"data":${cachedJson(message)}},"id":${id}}}`;
};

function broadcastFrame(head: string, message: ChatMessage): Buffer {
  // Only a frozen message (the feed freezes what it delivers) cannot go stale in the cache.
  if (!Object.isFrozen(message)) return textFrame(frameText(head, message));
  let frames = framesByMessage.get(message);
  if (!frames) framesByMessage.set(message, (frames = new Map()));
  let frame = frames.get(head);
  if (!frame) {
    frame = textFrame(frameText(head, message));
    if (frames.size < MAX_HEADS_PER_MESSAGE) frames.set(head, frame);
  }
  return frame;
}

/**
 * Watches a socket's incoming frames for chat.onMessage subscriptions, so that the resolver of
 * one can claim a writer for its subscription id: the adapter does not tell a resolver its id.
 * The server shows it each frame before tRPC's handler sees it. The frames it writes are exactly
 * what the adapter writes for a tracked item (a test compares them with the iterator path).
 */
export class SocketPushLane {
  /** Made on a socket's first subscription frame, dropped again once every one is claimed. */
  private pending: Pending[] | null = null;

  constructor(private readonly socket: WebSocket) {}

  observe(raw: RawData, isBinary: boolean) {
    if (isBinary) return;
    const text = raw.toString();
    // Only frames that can concern chat.onMessage are parsed a second time.
    if (!text.includes('chat.onMessage') && !text.includes('subscription.stop')) return;
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
        continue;
      }
      if (method !== 'subscription' || !params || typeof params !== 'object') continue;
      const { path, input, lastEventId } = params as { path?: unknown; input?: unknown; lastEventId?: unknown };
      const claimable = claimableInput(path, input, lastEventId);
      if (!claimable) continue;
      const pending = (this.pending ??= []);
      pending.push({ id, jsonrpc: typeof jsonrpc === 'string' ? jsonrpc : undefined, lastEventId: claimable.lastEventId });
      if (pending.length > MAX_PENDING) pending.shift();
    }
  }

  claim(lastEventId: string | null) {
    const pending = this.pending ?? [];
    const matches = pending.filter((p) => p.lastEventId === lastEventId);
    // Two open subscriptions that look alike cannot be told apart: let both take the iterator path.
    if (matches.length !== 1) return null;
    const claimed = matches[0]!;
    pending.splice(pending.indexOf(claimed), 1);
    if (pending.length === 0) this.pending = null;
    return pushWriter(this.socket, claimed);
  }
}

/** Module-level, so the writer a subscription keeps holds only its socket and frame head. */
function pushWriter(socket: WebSocket, claimed: Pending) {
  const head = `{"id":${JSON.stringify(claimed.id)}${claimed.jsonrpc === undefined ? '' : `,"jsonrpc":${JSON.stringify(claimed.jsonrpc)}`},"result":{"type":"data","data":{"id":`;
  return (message: ChatMessage) => {
    if (socket.readyState !== socket.OPEN) return false;
    sendFrame(socket, broadcastFrame(head, message), () => frameText(head, message));
    return true;
  };
}
