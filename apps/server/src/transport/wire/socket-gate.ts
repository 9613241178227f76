import { appRouter } from '@chat/api';
import { type TRPC_ERROR_CODE_KEY, TRPCError, transformTRPCResponse } from '@trpc/server';
import { parseTRPCMessage } from '@trpc/server/rpc';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';

/** What one socket may ask of the server at once. Documented in SECURITY.md. */
export interface GateLimits {
  /** Calls in one frame (a JSON array); a larger frame is refused whole, as tRPC's maxBatchSize does. */
  maxBatch: number;
  /** Subscriptions open at once; each one costs memory and a copy of every broadcast. */
  maxSubscriptions: number;
  /** Characters of a string request id, which the server echoes in every reply to that request. */
  maxIdLength: number;
}

/** String ids without quotes, commas or escapes, so a reply's id can be read off its first bytes. */
const STRING_ID = /^[A-Za-z0-9_.:-]+$/;

const { _config: config } = appRouter._def;

interface Refusal {
  id: string | number;
  jsonrpc: '2.0' | undefined;
  code: TRPC_ERROR_CODE_KEY;
  message: string;
  path: string | undefined;
}

/** The frame the adapter would send for this error, through the router's own errorFormatter. */
function refusalFrame({ id, jsonrpc, code, message, path }: Refusal): string {
  const error = new TRPCError({ code, message });
  const shape = getErrorShape({ config, error, type: 'unknown', path, input: undefined, ctx: undefined });
  return JSON.stringify(transformTRPCResponse(config, { id, jsonrpc, error: shape }));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface GateDecision {
  /** What tRPC's adapter gets: the frame itself, a frame without the refused calls, or nothing. */
  forward: Buffer | null;
  /** Error frames to send back for the refused calls, one per call. */
  refusals: string[];
}

/**
 * Sees every frame of one socket before tRPC's adapter does, and every reply the adapter sends.
 * tRPC's WebSocket adapter bounds neither the subscriptions a socket holds nor the length of the
 * ids it echoes, so this keeps the socket's requests in flight by id (the id's JSON text, which is
 * how each reply begins) and refuses a call, with a typed error for its id, when it would exceed a
 * limit. A request leaves when the adapter sends its final reply: any reply for a query or
 * mutation; an error or `stopped` for a subscription (so a `subscription.stop` frees its slot once
 * the subscription has really ended). Ids are unique while in flight, so no reply can be mistaken
 * for another request's end.
 */
export class SocketGate {
  private inFlight: Map<string, 'call' | 'subscription'> | null = null;
  private subscriptions = 0;

  constructor(
    private readonly limits: GateLimits,
    /** The first frame is then connectionParams, which the adapter reads as such and never runs. */
    private awaitingConnectionParams: boolean,
  ) {}

  get openSubscriptions() {
    return this.subscriptions;
  }

  admit(raw: Buffer, isBinary: boolean): GateDecision {
    const pass = { forward: raw, refusals: [] };
    // Binary frames fail the adapter's JSON decoder before any call runs.
    if (isBinary) return pass;
    const text = raw.toString('utf8');
    if (text === 'PING' || text === 'PONG') return pass;
    if (this.awaitingConnectionParams) {
      this.awaitingConnectionParams = false;
      return pass;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return pass; // the adapter answers PARSE_ERROR and runs nothing
    }
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    if (Array.isArray(parsed) && messages.length > this.limits.maxBatch) return this.refuseBatch(messages);
    // One malformed message makes the adapter refuse the whole frame (PARSE_ERROR, id null): nothing runs.
    try {
      for (const message of messages) parseTRPCMessage(message, config.transformer);
    } catch {
      return pass;
    }

    const admitted: unknown[] = [];
    const refusals: string[] = [];
    for (const message of messages as Record<string, unknown>[]) {
      const refusal = this.check(message);
      if (refusal) refusals.push(refusalFrame(refusal));
      else admitted.push(message);
    }
    if (refusals.length === 0) return pass;
    if (admitted.length === 0) return { forward: null, refusals };
    return { forward: Buffer.from(JSON.stringify(Array.isArray(parsed) ? admitted : admitted[0])), refusals };
  }

  /** Admits one well-formed message (registering it) or says why not. */
  private check(message: Record<string, unknown>): Refusal | null {
    const id = message.id as string | number | null;
    const method = message.method as string;
    const jsonrpc = message.jsonrpc as '2.0' | undefined;
    const path = isRecord(message.params) && typeof message.params.path === 'string' ? message.params.path.slice(0, 100) : undefined;
    if (id === null) return null; // the adapter refuses it ("`id` is required")
    if (typeof id === 'string' && (id.length > this.limits.maxIdLength || !STRING_ID.test(id))) {
      return { id, jsonrpc, path, code: 'BAD_REQUEST', message: `Request ids are integers or up to ${this.limits.maxIdLength} letters, digits, "_", ".", ":" or "-"` };
    }
    if (typeof id === 'number' && !Number.isSafeInteger(id)) {
      return { id, jsonrpc, path, code: 'BAD_REQUEST', message: 'Numeric request ids must be safe integers' };
    }
    const key = JSON.stringify(id);
    const inFlight = (this.inFlight ??= new Map());
    if (method === 'subscription.stop') return null;
    if (inFlight.has(key)) return { id, jsonrpc, path, code: 'BAD_REQUEST', message: `Duplicate id ${key}: a request with this id is still in flight` };
    if (method === 'subscription') {
      if (this.subscriptions >= this.limits.maxSubscriptions) {
        return { id, jsonrpc, path, code: 'TOO_MANY_REQUESTS', message: `At most ${this.limits.maxSubscriptions} subscriptions per socket; stop one first` };
      }
      this.subscriptions++;
      inFlight.set(key, 'subscription');
    } else inFlight.set(key, 'call');
    return null;
  }

  /** Every call of an oversized batch gets the error, as tRPC's HTTP batches do; none runs. */
  private refuseBatch(messages: unknown[]): GateDecision {
    const refusals: string[] = [];
    const message = `At most ${this.limits.maxBatch} calls per batch`;
    for (const m of messages) {
      if (!isRecord(m) || m.method === 'subscription.stop') continue;
      if ((typeof m.id === 'number' && Number.isSafeInteger(m.id)) || (typeof m.id === 'string' && m.id.length <= this.limits.maxIdLength)) {
        refusals.push(refusalFrame({ id: m.id, jsonrpc: m.jsonrpc === '2.0' ? '2.0' : undefined, code: 'BAD_REQUEST', message, path: undefined }));
      }
    }
    if (refusals.length === 0) refusals.push(JSON.stringify({ id: null, error: getErrorShape({ config, error: new TRPCError({ code: 'BAD_REQUEST', message }), type: 'unknown', path: undefined, input: undefined, ctx: undefined }) }));
    return { forward: null, refusals };
  }

  /** Shown each frame the adapter sends this socket (`{"id":…,` first, as JSON.stringify orders them). */
  sent(data: unknown) {
    if (!this.inFlight?.size || typeof data !== 'string' || !data.startsWith('{"id":')) return;
    const idEnd = data.indexOf(',', 6);
    if (idEnd < 0) return;
    const key = data.slice(6, idEnd);
    const kind = this.inFlight.get(key);
    if (!kind) return;
    if (kind === 'subscription') {
      const rest = data.startsWith(',"jsonrpc":"2.0"', idEnd) ? idEnd + 16 : idEnd;
      // Data and `started` keep it open; only an error or `stopped` ends it.
      if (!data.startsWith(',"error":', rest) && !data.startsWith(',"result":{"type":"stopped"', rest)) return;
      this.subscriptions--;
    }
    this.inFlight.delete(key);
    if (this.inFlight.size === 0) this.inFlight = null;
  }
}
