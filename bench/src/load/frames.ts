// The wire frames the bench's own clients build and read, typed from the router: a renamed
// procedure, input field or output field fails `tsc` here instead of silently measuring refusals.
import type { AppRouter } from '@chat/api';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

type Routers = keyof RouterInputs & string;
/** Every procedure as tRPC addresses it: `chat.send`, `auth.login`, … */
export type ProcedurePath = { [R in Routers]: `${R}.${keyof RouterInputs[R] & string}` }[Routers];

export type InputOf<P extends ProcedurePath> = P extends `${infer R extends Routers}.${infer Q}` ? (Q extends keyof RouterInputs[R] ? RouterInputs[R][Q] : never) : never;
export type OutputOf<P extends ProcedurePath> = P extends `${infer R extends Routers}.${infer Q}` ? (Q extends keyof RouterOutputs[R] ? RouterOutputs[R][Q] : never) : never;
/** `query`, `mutation` or `subscription`, as the router declares the procedure. */
export type MethodOf<P extends ProcedurePath> = P extends `${infer R extends Routers}.${infer Q}`
  ? Q extends keyof AppRouter[R]
    ? AppRouter[R][Q] extends { _def: { type: infer T } }
      ? T
      : never
    : never
  : never;

/** What a subscription yields (tRPC infers a subscription's output as its async iterable). */
export type YieldOf<P extends ProcedurePath> = OutputOf<P> extends AsyncIterable<infer Y> ? Y : never;

/** One call over tRPC's WebSocket protocol (`TRPCRequestMessage`), its input checked against the router. */
export type CallFrame<P extends ProcedurePath> = {
  id: number;
  method: MethodOf<P>;
  params: undefined extends InputOf<P> ? { path: P; input?: InputOf<P> } : { path: P; input: InputOf<P> };
};

/** The first frame of a wsLink connection (`connectionParams: { token }`). */
export const connectionParamsFrame = (token: string | undefined) => JSON.stringify({ method: 'connectionParams', data: { token } });

export const sendFrame = (id: number, input: InputOf<'chat.send'>) => JSON.stringify({ id, method: 'mutation', params: { path: 'chat.send', input } } satisfies CallFrame<'chat.send'>);

/** The subscription each kind of our client opens, always as id 1. */
export function subscriptionFrame(stream: 'onMessage' | 'onEvent', lastEventId: string | null | undefined) {
  if (stream === 'onEvent') return JSON.stringify({ id: 1, method: 'subscription', params: { path: 'chat.onEvent', input: { lastEventId: lastEventId ?? null } } } satisfies CallFrame<'chat.onEvent'>);
  return JSON.stringify({ id: 1, method: 'subscription', params: { path: 'chat.onMessage', input: lastEventId ? { lastEventId } : {} } } satisfies CallFrame<'chat.onMessage'>);
}

export const authMeFrame = (id: number) => JSON.stringify({ id, method: 'query', params: { path: 'auth.me' } } satisfies CallFrame<'auth.me'>);

/** A reply frame of tRPC's WebSocket protocol, as far as the bench reads it. */
export interface TrpcReply<T = unknown> {
  id?: number | string | null;
  result?: { type: 'started' | 'stopped' | 'data'; id?: string; data?: T };
  error?: { message?: string };
  method?: string;
}

/** A tracked item of chat.onMessage (`{ id, data: ChatMessage }`). */
export type OnMessageItem = YieldOf<'chat.onMessage'>;
/** A tracked item of chat.onEvent (`{ id, data: ChatEvent }`). */
export type OnEventItem = YieldOf<'chat.onEvent'>;

/** The text of a chat message carried by either stream's item, if it carries one. */
export function textOfItem(stream: 'onMessage' | 'onEvent', item: unknown): string | undefined {
  if (stream === 'onMessage') return (item as OnMessageItem).data.text;
  const event = (item as OnEventItem).data;
  return event.type === 'message.created' ? event.message.text : undefined;
}
