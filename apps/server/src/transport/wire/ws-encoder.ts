import { jsonEncoder } from '@trpc/server/adapters/ws';

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
  const resultKeys = Object.keys(result);
  if (resultKeys.length !== 3 || resultKeys[0] !== 'type' || resultKeys[1] !== 'data' || resultKeys[2] !== 'id') return null;
  const trackedKeys = Object.keys(tracked);
  if (trackedKeys.length !== 2 || trackedKeys[0] !== 'id' || trackedKeys[1] !== 'data') return null;
  const id = JSON.stringify(frame.id);
  const rpc = rpcFrame && frame.jsonrpc !== undefined ? `,"jsonrpc":${JSON.stringify(frame.jsonrpc)}` : '';
  const trackedId = JSON.stringify(result.id);
  return `{"id":${id}${rpc},"result":{"type":"data","data":{"id":${trackedId},"data":${cachedJson(tracked.data)}},"id":${trackedId}}}`;
}

export const broadcastEncoder = {
  encode(data: unknown): string {
    return (isRecord(data) && trackedFrame(data)) || JSON.stringify(data);
  },
  decode: jsonEncoder.decode,
};
