import type { ChatEvent, ChatMessage, ConnectionLane, EventWriter, MessageWriter, TrackedEvent } from '@chat/api';
import { EVERYONE_ROOM_ID } from '@chat/api/schemas';
import type { WebSocket } from 'ws';
import { type ClientCall, type Reply, type RequestId, isStoppedReply, stoppedReply, trackedHead, trackedText } from './trpc-frames';
import { cachedJson, encodeReply } from './ws-encoder';
import { sendFrame, textFrame } from './ws-frame';

/** The subscriptions whose live items can take the lane. */
type LanePath = 'chat.onMessage' | 'chat.onEvent';

interface Pending {
  id: RequestId;
  jsonrpc: '2.0' | undefined;
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

/** A lane with no slow-consumer limit (tests that build one by hand). */
const neverBehind = () => false;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && !Array.isArray(v) && typeof v === 'object';

/**
 * The lastEventId a subscription's resolver will claim with, or undefined when it cannot take the
 * lane. Read off the call as sent, not validated: the procedure's own input schema is the one check
 * (an invalid call is refused before its resolver runs, so it never claims; its entry is dropped on
 * that refusal). A valid call must always be recorded here, or a look-alike could take its claim:
 * so the input is merged as the adapter merges wsLink's top-level lastEventId, and a room id is
 * compared as the schema leaves it (lower case).
 */
function claimableCursor(path: LanePath, input: unknown, lastEventId: string | undefined): string | null | undefined {
  // The adapter merges a top-level lastEventId into an object input, or makes `{ lastEventId }` of a missing one.
  const fields = isObject(input) ? input : input === undefined || (input === null && lastEventId !== undefined) ? null : undefined;
  if (fields === undefined) return undefined; // an input the schema refuses
  const cursor = lastEventId ?? fields?.lastEventId ?? null;
  if (typeof cursor !== 'string' && cursor !== null) return undefined;
  // A room's chat.onMessage is not the #everyone broadcast the lane writes.
  const roomId = fields?.roomId;
  if (path === 'chat.onMessage' && roomId !== undefined && (typeof roomId !== 'string' || roomId.toLowerCase() !== EVERYONE_ROOM_ID)) return undefined;
  return cursor;
}

/** Unclaimed subscription calls kept per socket (one the procedure refuses never is claimed, and leaves on its refusal). */
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

/** The adapter's frame for `tracked(trackedId, data)` after `head`. */
const itemText = (head: string, trackedId: string, data: object) => trackedText(head, trackedId, payloadJson(data));

function broadcastFrame(head: string, message: ChatMessage): Buffer {
  // Only a frozen message (the feed freezes what it delivers) cannot go stale in the cache.
  if (!Object.isFrozen(message)) return textFrame(itemText(head, message.id, message));
  let frames = framesByMessage.get(message);
  if (!frames) framesByMessage.set(message, (frames = new Map()));
  let frame = frames.get(head);
  if (!frame) {
    frame = textFrame(itemText(head, message.id, message));
    if (frames.size < MAX_HEADS_PER_MESSAGE) frames.set(head, frame);
  }
  return frame;
}

function eventFrame(head: string, cursor: string, event: ChatEvent): Buffer {
  if (!Object.isFrozen(event)) return textFrame(itemText(head, cursor, event));
  let byCursor = framesByEvent.get(event);
  if (!byCursor) framesByEvent.set(event, (byCursor = new Map()));
  let frames = byCursor.get(cursor);
  if (!frames) {
    frames = new Map();
    if (byCursor.size < MAX_CURSORS_PER_EVENT) byCursor.set(cursor, frames);
  }
  let frame = frames.get(head);
  if (!frame) {
    frame = textFrame(itemText(head, cursor, event));
    if (frames.size < MAX_HEADS_PER_MESSAGE) frames.set(head, frame);
  }
  return frame;
}

/**
 * One socket's lane (the transport's side of ConnectionLane, events/push-lane-contract.ts). It sees
 * the calls of each frame the gate admitted, before tRPC's handler runs them, and keeps the
 * chat.onMessage and chat.onEvent subscriptions among them, so that the resolver of one can claim a
 * writer for its subscription id: the adapter does not tell a resolver its id. The frames it writes
 * are exactly what the adapter writes for a tracked item (tests compare them with the iterator path).
 */
export class SocketPushLane implements ConnectionLane {
  /** Made on a socket's first subscription frame, dropped again once every one is claimed. */
  private pending: Pending[] | null = null;
  /** Subscriptions the lane holds by itself, made on the first one. */
  private kept: Kept[] | null = null;
  /** Kept subscriptions whose adapter `stopped` frame has not been withheld yet (most sends skip the check). */
  private withholding = 0;

  /**
   * `cutOffIfBehind`: the socket sweep's slow-consumer rule (chat-sockets.ts), applied here at each
   * write, so a reader is cut off at the write that passes the limit: the sweep runs once a second,
   * and a burst of broadcasts would otherwise pile up a second's worth past it (decision 172).
   */
  constructor(
    private readonly socket: WebSocket,
    readonly cutOffIfBehind: (socket: WebSocket) => boolean = neverBehind,
  ) {}

  /** The calls of a frame the gate admitted, parsed and checked once there (socket-gate.ts). */
  observe(calls: readonly ClientCall[]) {
    for (const call of calls) {
      const { id } = call;
      if (id === null) continue;
      if (call.method === 'subscription.stop') {
        this.drop(id);
        this.stopKept(id);
        continue;
      }
      if (call.method !== 'subscription') continue;
      const { path, input, lastEventId } = call.params;
      if (path !== 'chat.onMessage' && path !== 'chat.onEvent') continue;
      const cursor = claimableCursor(path, input, lastEventId);
      if (cursor === undefined) continue;
      const pending = (this.pending ??= []);
      // A literal, not a spread: a claimed one is kept for the subscription's life, and V8 gives objects
      // made by a spread plus properties a hidden class each.
      pending.push({ id, jsonrpc: call.jsonrpc, path, lastEventId: cursor });
      if (pending.length > MAX_PENDING) pending.shift();
    }
  }

  /**
   * Shown each reply of the adapter before it goes out; false when it must not (the `stopped` of a
   * subscription the lane now holds). A pending call answered with `started` or an error was not
   * claimed by its resolver (which runs before either) and never will be: it is dropped.
   */
  replied(reply: Reply): boolean {
    if (this.pending !== null && reply.id !== null && ('error' in reply || reply.result.type === 'started')) this.drop(reply.id);
    if (this.withholding === 0 || !this.kept) return true;
    const kept = this.kept.find((k) => k.withholding && isStoppedReply(reply, k.claimed.id, k.claimed.jsonrpc));
    if (!kept) return true;
    kept.withholding = false;
    this.withholding--;
    return false;
  }

  private drop(id: RequestId) {
    const at = this.pending?.findIndex((p) => p.id === id) ?? -1;
    if (at < 0) return;
    this.pending!.splice(at, 1);
    if (this.pending!.length === 0) this.pending = null;
  }

  /** A writer for this socket's #everyone chat.onMessage subscription with this lastEventId, or null. */
  claim(lastEventId: string | null): MessageWriter | null {
    const claimed = this.take('chat.onMessage', lastEventId);
    return claimed && new BroadcastWriter(this, this.socket, claimed);
  }

  /** A writer for this socket's chat.onEvent subscription with this lastEventId, or null. */
  claimEvents(lastEventId: string | null): EventWriter | null {
    const claimed = this.take('chat.onEvent', lastEventId);
    return claimed && new EventItemWriter(this, this.socket, claimed);
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

  /** The client stopped a subscription: if the lane holds it, end it and say so as the adapter would. */
  private stopKept(id: RequestId) {
    const at = this.kept?.findIndex((k) => k.claimed.id === id) ?? -1;
    if (at < 0) return;
    const [kept] = this.kept!.splice(at, 1);
    if (this.kept!.length === 0) this.kept = null;
    kept!.stop();
    // Its iterator's end not yet sent (the stop came first): that frame is the answer, not withheld.
    if (kept!.withholding) this.withholding--;
    else this.socket.send(encodeReply(stoppedReply(kept!.claimed.id, kept!.claimed.jsonrpc)));
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
  const head = trackedHead(claimed.id, claimed.jsonrpc);
  const shared = heads.get(head);
  if (shared) return shared;
  if (heads.size < MAX_HEADS) heads.set(head, head);
  return head;
}

/**
 * A claimed subscription's writer: an object whose method a broadcast calls per stream (decision
 * 174), holding what each write needs so that it reads no more than this and the socket. The slow
 * consumer rule is copied off the lane: it is shared, the lane is one more object per socket.
 */
abstract class LaneWriter {
  protected readonly head: string;
  protected readonly cutOffIfBehind: (socket: WebSocket) => boolean;

  constructor(
    private readonly lane: SocketPushLane,
    protected readonly socket: WebSocket,
    private readonly claimed: Pending,
  ) {
    this.head = frameHead(claimed);
    this.cutOffIfBehind = lane.cutOffIfBehind;
  }

  keep(stop: () => void) {
    return this.lane.keep(this.claimed, stop);
  }
}

class BroadcastWriter extends LaneWriter implements MessageWriter {
  write(message: ChatMessage) {
    const { socket, head } = this;
    if (socket.readyState !== socket.OPEN) return false;
    sendFrame(socket, broadcastFrame(head, message), () => itemText(head, message.id, message));
    return !this.cutOffIfBehind(socket);
  }
}

class EventItemWriter extends LaneWriter implements EventWriter {
  write(item: TrackedEvent) {
    const { socket, head } = this;
    if (socket.readyState !== socket.OPEN) return false;
    const { id, data } = item;
    sendFrame(socket, eventFrame(head, id, data), () => itemText(head, id, data));
    return !this.cutOffIfBehind(socket);
  }
}
