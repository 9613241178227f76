import { jsonEncoder } from '@trpc/server/adapters/ws';
import { type Reply, trackedHead, trackedText } from './trpc-frames';

/**
 * tRPC's WebSocket encoder, but a broadcast's payload is serialised once, not once per subscriber.
 * The adapter hands every subscriber of a broadcast the same message object (the feed delivers one
 * object to all), so its JSON is cached by identity and spliced into each subscriber's envelope.
 * Only frozen payloads are cached: an object that cannot change cannot go stale in the cache.
 */
const payloadJson = new WeakMap<object, string>();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function cachedJson(payload: object): string {
  let json = payloadJson.get(payload);
  if (json === undefined) {
    json = JSON.stringify(payload);
    payloadJson.set(payload, json);
  }
  return json;
}

/** `{ id, jsonrpc?, result: { type: 'data', data: { id, data }, id } }`: a tracked subscription item. */
function trackedFrame(frame: Record<string, unknown>): string | null {
  const { result } = frame;
  if (!isRecord(result) || result.type !== 'data' || typeof result.id !== 'string') return null;
  const tracked = result.data;
  if (!isRecord(tracked) || !isRecord(tracked.data) || !Object.isFrozen(tracked.data) || tracked.id !== result.id) return null;
  // Exactly these keys, in the adapter's order, or the general path (the output must equal JSON.stringify's).
  const frameKeys = Object.keys(frame);
  const plainFrame = frameKeys[0] === 'id' && frameKeys[1] === 'result' && frameKeys.length === 2;
  const rpcFrame = frameKeys.length === 3 && frameKeys[0] === 'id' && frameKeys[1] === 'jsonrpc' && frameKeys[2] === 'result';
  if (!plainFrame && !rpcFrame) return null;
  if (typeof frame.id !== 'string' && typeof frame.id !== 'number') return null;
  const resultKeys = Object.keys(result);
  if (resultKeys.length !== 3 || resultKeys[0] !== 'type' || resultKeys[1] !== 'data' || resultKeys[2] !== 'id') return null;
  const trackedKeys = Object.keys(tracked);
  if (trackedKeys.length !== 2 || trackedKeys[0] !== 'id' || trackedKeys[1] !== 'data') return null;
  const jsonrpc = rpcFrame && typeof frame.jsonrpc === 'string' ? frame.jsonrpc : undefined;
  if (rpcFrame && frame.jsonrpc !== undefined && jsonrpc === undefined) return null;
  return trackedText(trackedHead(frame.id, jsonrpc), result.id, cachedJson(tracked.data));
}

/**
 * The reply encoded last, with its text: the adapter sends each reply as soon as it is encoded
 * (`client.send(encoder.encode(reply))`), so the socket's observed send reads the reply's fields
 * here instead of parsing or prefix-matching the text. One slot, overwritten per reply: no allocation.
 */
let lastReply: unknown = null;
let lastText: string | null = null;

/** The reply whose encoding is `text`, if it is the one just encoded (the adapter's own sends are). */
export function replyOf(text: unknown): Reply | null {
  if (text !== lastText || lastText === null) return null;
  const reply = lastReply;
  lastReply = lastText = null;
  return isRecord(reply) && ('result' in reply || 'error' in reply) ? (reply as unknown as Reply) : null;
}

/**
 * A client frame the socket gate has already parsed: the adapter decodes the frame it is handed in
 * the same turn (in its message listener), so it gets the gate's value instead of a second parse.
 */
let handedText: string | null = null;
let handedValue: unknown = null;

/** Runs `deliver` (the adapter's listener) on `frame`, `value` being the decoding of `text`; a frame decoded later is parsed as usual. */
export function deliverParsed(deliver: (frame: Buffer, isBinary: boolean) => void, frame: Buffer, text: string, value: unknown): void {
  handedText = text;
  handedValue = value;
  try {
    deliver(frame, false);
  } finally {
    handedText = null;
    handedValue = null;
  }
}

/** A reply of ours (the lane's `stopped`) as the adapter's encoder writes it, so the socket's observed send reads it like the adapter's. */
export const encodeReply = (reply: Reply) => broadcastEncoder.encode(reply);

export const broadcastEncoder = {
  encode(data: unknown): string {
    const text = (isRecord(data) && trackedFrame(data)) || JSON.stringify(data);
    lastReply = data;
    lastText = text;
    return text;
  },
  decode(data: unknown): unknown {
    if (handedText !== null && data === handedText) {
      const value = handedValue;
      handedText = null;
      handedValue = null;
      return value;
    }
    return jsonEncoder.decode(data as string);
  },
};
