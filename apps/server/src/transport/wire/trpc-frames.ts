import { getTRPCErrorShape, type TRPC_ERROR_CODE_KEY, TRPCError, transformTRPCResponse } from '@trpc/server';
import type { TRPCClientOutgoingMessage, TRPCReconnectNotification, TRPCResponseMessage } from '@trpc/server/rpc';
import { routerConfig } from './trpc-router';

/*
 * tRPC's WebSocket frames (@trpc/server 11.25.2, pinned), written here and nowhere else. The byte-for-byte
 * tests (push-lane*.test.ts, ws-encoder.test.ts) compare what these build with what the adapter sends.
 */

/** A request id as the protocol has it; `1` and `"1"` are different requests. */
export type RequestId = string | number;

/** One call of a client's frame, checked by tRPC's own `parseTRPCMessage`. */
export type ClientCall = TRPCClientOutgoingMessage;

/** A reply of the adapter, as its encoder is handed it (before JSON). */
export type Reply = TRPCResponseMessage;

/**
 * What precedes a tracked item's id in the adapter's frame for `tracked(id, data)`:
 * `{"id":7,"result":{"type":"data","data":{"id":` (with `"jsonrpc":"2.0"` after the id when the call had it).
 */
export function trackedHead(id: RequestId, jsonrpc: string | undefined): string {
  return `{"id":${JSON.stringify(id)}${jsonrpc === undefined ? '' : `,"jsonrpc":${JSON.stringify(jsonrpc)}`},"result":{"type":"data","data":{"id":`;
}

/** The adapter's frame for `tracked(trackedId, data)` after `head`, `dataJson` being the item's JSON. */
export function trackedText(head: string, trackedId: string, dataJson: string): string {
  const id = JSON.stringify(trackedId);
  return `${head}${id},"data":${dataJson}},"id":${id}}}`;
}

/** The reply the adapter sends when a subscription ends (encoded as any reply, ws-encoder.ts). */
export const stoppedReply = (id: RequestId, jsonrpc: '2.0' | undefined): Reply => ({ id, jsonrpc, result: { type: 'stopped' } });

/** tRPC's server-sent "reconnect": the client opens a new socket and moves its subscriptions there. */
export const RECONNECT_TEXT = JSON.stringify({ id: null, method: 'reconnect' } satisfies TRPCReconnectNotification);

export interface ErrorReply {
  id: RequestId | null;
  jsonrpc: '2.0' | undefined;
  code: TRPC_ERROR_CODE_KEY;
  message: string;
  path: string | undefined;
}

/** The shape a client gets for this error, through the router's own errorFormatter. */
export function errorShape(code: TRPC_ERROR_CODE_KEY, message: string, path: string | undefined, type: 'subscription' | 'unknown') {
  return getTRPCErrorShape({ config: routerConfig, error: new TRPCError({ code, message }), type, path, input: undefined, ctx: undefined });
}

/** The frame the adapter would send for this error. */
export function errorText({ id, jsonrpc, code, message, path }: ErrorReply): string {
  return JSON.stringify(transformTRPCResponse(routerConfig, { id, jsonrpc, error: errorShape(code, message, path, 'unknown') }));
}

/** A subscription's last reply: an error, or `stopped`. Data and `started` keep it open. */
export const endsSubscription = (reply: Reply) => 'error' in reply || reply.result.type === 'stopped';

/** The adapter's `stopped` for this call (`id`, and `jsonrpc` as the call had it). */
export const isStoppedReply = (reply: Reply, id: RequestId, jsonrpc: '2.0' | undefined) =>
  'result' in reply && reply.result.type === 'stopped' && reply.id === id && reply.jsonrpc === jsonrpc;
