import { parseTRPCMessage } from '@trpc/server/rpc';
import { type ClientCall, endsSubscription, type ErrorReply, errorText, type Reply, type RequestId } from './trpc-frames';
import { routerConfig } from './trpc-router';

/** What one socket may ask of the server at once. Documented in SECURITY.md. */
export interface GateLimits {
  /** Calls in one frame (a JSON array); a larger frame is refused whole, as tRPC's maxBatchSize does. */
  maxBatch: number;
  /** Subscriptions open at once; each one costs memory and a copy of every broadcast. */
  maxSubscriptions: number;
  /** Characters of a string request id, which the server echoes in every reply to that request. */
  maxIdLength: number;
}

/** String ids without quotes, commas or escapes: what a client may make the server echo. */
const STRING_ID = /^[A-Za-z0-9_.:-]+$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface GateDecision {
  /** What tRPC's adapter gets: the frame itself, a frame without the refused calls, or nothing. */
  forward: Buffer | null;
  /** Error frames to send back for the refused calls, one per call. */
  refusals: string[];
  /**
   * The forwarded frame as parsed here (its text and JSON value, its checked calls), so neither the
   * lane nor the adapter parses it again; null when it was not parsed (binary, PING, connectionParams,
   * malformed: the adapter answers those itself and runs nothing).
   */
  parsed: { text: string; value: unknown; calls: ClientCall[] } | null;
}

/**
 * Sees every frame of one socket before tRPC's adapter does, and every reply the adapter sends.
 * tRPC's WebSocket adapter bounds neither the subscriptions a socket holds nor the length of the
 * ids it echoes, so this keeps the socket's requests in flight by id and refuses a call, with a
 * typed error for its id, when it would exceed a limit. A request leaves when the adapter sends
 * its final reply: any reply for a query or mutation; an error or `stopped` for a subscription (so
 * a `subscription.stop` frees its slot once the subscription has really ended). Ids are unique
 * while in flight, so no reply can be mistaken for another request's end.
 */
export class SocketGate {
  /** By id as sent: `1` and `"1"` are different keys, as they are different requests. */
  private inFlight: Map<RequestId, 'call' | 'subscription'> | null = null;
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
    const pass = { forward: raw, refusals: [], parsed: null };
    // Binary frames fail the adapter's JSON decoder before any call runs.
    if (isBinary) return pass;
    const text = raw.toString('utf8');
    if (text === 'PING' || text === 'PONG') return pass;
    if (this.awaitingConnectionParams) {
      this.awaitingConnectionParams = false;
      return pass;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return pass; // the adapter answers PARSE_ERROR and runs nothing
    }
    const messages = Array.isArray(value) ? (value as unknown[]) : [value];
    if (Array.isArray(value) && messages.length > this.limits.maxBatch) return this.refuseBatch(messages);
    // One malformed message makes the adapter refuse the whole frame (PARSE_ERROR, id null): nothing runs.
    let calls: ClientCall[];
    try {
      calls = messages.map((message) => parseTRPCMessage(message, routerConfig.transformer));
    } catch {
      return pass;
    }

    let admitted: number[] | null = null;
    const refusals: string[] = [];
    for (let i = 0; i < calls.length; i++) {
      const refusal = this.check(calls[i]!);
      if (refusal) refusals.push(errorText(refusal));
      else (admitted ??= []).push(i);
    }
    if (refusals.length === 0) return { forward: raw, refusals, parsed: { text, value, calls } };
    if (admitted === null) return { forward: null, refusals, parsed: null };
    const forwarded = Array.isArray(value) ? admitted.map((i) => messages[i]) : messages[0];
    const forwardedText = JSON.stringify(forwarded);
    return { forward: Buffer.from(forwardedText), refusals, parsed: { text: forwardedText, value: forwarded, calls: admitted.map((i) => calls[i]!) } };
  }

  /** Admits one well-formed call (registering it) or says why not. */
  private check(call: ClientCall): ErrorReply | null {
    const { id, method, jsonrpc } = call;
    const path = 'params' in call ? call.params.path.slice(0, 100) : undefined;
    if (id === null) return null; // the adapter refuses it ("`id` is required")
    if (typeof id === 'string' && (id.length > this.limits.maxIdLength || !STRING_ID.test(id))) {
      return { id, jsonrpc, path, code: 'BAD_REQUEST', message: `Request ids are integers or up to ${this.limits.maxIdLength} letters, digits, "_", ".", ":" or "-"` };
    }
    if (typeof id === 'number' && !Number.isSafeInteger(id)) {
      return { id, jsonrpc, path, code: 'BAD_REQUEST', message: 'Numeric request ids must be safe integers' };
    }
    const inFlight = (this.inFlight ??= new Map());
    if (method === 'subscription.stop') return null;
    if (inFlight.has(id)) return { id, jsonrpc, path, code: 'BAD_REQUEST', message: `Duplicate id ${JSON.stringify(id)}: a request with this id is still in flight` };
    if (method === 'subscription') {
      if (this.subscriptions >= this.limits.maxSubscriptions) {
        return { id, jsonrpc, path, code: 'TOO_MANY_REQUESTS', message: `At most ${this.limits.maxSubscriptions} subscriptions per socket; stop one first` };
      }
      this.subscriptions++;
      inFlight.set(id, 'subscription');
    } else inFlight.set(id, 'call');
    return null;
  }

  /** Every id of an oversized frame gets the error (a socket client waits on each; HTTP answers one error for the batch); none runs. */
  private refuseBatch(messages: unknown[]): GateDecision {
    const refusals: string[] = [];
    const message = `At most ${this.limits.maxBatch} calls per batch`;
    for (const m of messages) {
      if (!isRecord(m) || m.method === 'subscription.stop') continue;
      if ((typeof m.id === 'number' && Number.isSafeInteger(m.id)) || (typeof m.id === 'string' && m.id.length <= this.limits.maxIdLength)) {
        refusals.push(errorText({ id: m.id, jsonrpc: m.jsonrpc === '2.0' ? '2.0' : undefined, code: 'BAD_REQUEST', message, path: undefined }));
      }
    }
    if (refusals.length === 0) refusals.push(errorText({ id: null, jsonrpc: undefined, code: 'BAD_REQUEST', message, path: undefined }));
    return { forward: null, refusals, parsed: null };
  }

  /** Shown each reply the adapter sends this socket, as its encoder was handed it. */
  sent(reply: Reply) {
    if (!this.inFlight?.size || reply.id === null) return;
    const kind = this.inFlight.get(reply.id);
    if (!kind) return;
    if (kind === 'subscription') {
      // Data and `started` keep it open; only an error or `stopped` ends it.
      if (!endsSubscription(reply)) return;
      this.subscriptions--;
    }
    this.inFlight.delete(reply.id);
    if (this.inFlight.size === 0) this.inFlight = null;
  }
}
