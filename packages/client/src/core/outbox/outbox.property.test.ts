import { TRPCClientError } from '@trpc/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOutbox, type Outbox } from './outbox';
import type { OutboxAction } from './outbox-item';
import { memoryOutboxStore, type OutboxStore } from './outbox-store';

const unavailable = () => TRPCClientError.from({ error: { code: -32603, message: 'down', data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 } } });
const networkError = () => TRPCClientError.from(new TypeError('fetch failed'));

/** How the server and the network treat the oldest request in flight. */
type Fate = 'ok' | 'lost-before' | 'lost-after-commit' | 'unavailable';
/** `thread`: a reply in a thread (thread.reply, idempotent by clientMessageId as chat.send is) rather than a room message. */
type Step = { type: 'type'; thread: boolean } | { type: 'down' } | { type: 'up' } | { type: 'reload' } | { type: 'answer'; fate: Fate; pick: number } | { type: 'tick' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.boolean().map((thread): Step => ({ type: 'type', thread })) },
  { weight: 1, arbitrary: fc.constant<Step>({ type: 'down' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ type: 'up' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ type: 'reload' }) },
  { weight: 4, arbitrary: fc.record({ fate: fc.constantFrom<Fate>('ok', 'lost-before', 'lost-after-commit', 'unavailable'), pick: fc.nat(3) }).map((a): Step => ({ type: 'answer', ...a })) },
  { weight: 1, arbitrary: fc.constant<Step>({ type: 'tick' }) },
);

/** Lets the outbox's promise chains and zero-length retry timers run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * A server that stores a message or thread reply once per clientMessageId, as chat.send and thread.reply do, reached through a
 * network the test controls: each request waits until a step decides whether it is stored, and
 * whether its answer comes back.
 */
function simulatedServer(keyOf: (input: { clientMessageId: string }, tries: number) => string) {
  const stored: { key: string; text: string }[] = [];
  const inFlight: { text: string; key: string; resolve(v: unknown): void; reject(e: unknown): void }[] = [];
  const tries = new Map<string, number>();
  return {
    stored,
    inFlight,
    perform(action: OutboxAction) {
      if (action.kind !== 'send' && action.kind !== 'reply') throw new Error('sends and replies only');
      const n = (tries.get(action.input.clientMessageId) ?? 0) + 1;
      tries.set(action.input.clientMessageId, n);
      const key = keyOf(action.input, n);
      return new Promise((resolve, reject) => inFlight.push({ text: action.input.text, key, resolve, reject }));
    },
    /** Any request in flight, not only the oldest: a reloaded page's request may arrive after the new page's. */
    answer(fate: Fate, pick = 0) {
      const [request] = inFlight.splice(pick % Math.max(inFlight.length, 1), 1);
      if (!request) return;
      const store = () => !stored.some((s) => s.key === request.key) && stored.push({ key: request.key, text: request.text });
      if (fate === 'ok') {
        store();
        request.resolve({ text: request.text });
      } else if (fate === 'lost-after-commit') {
        store();
        request.reject(networkError());
      } else request.reject(fate === 'unavailable' ? unavailable() : networkError());
    },
    dropAll() {
      while (inFlight.length) inFlight.shift()!.reject(networkError());
    },
  };
}

async function run(steps: Step[], keyOf: (input: { clientMessageId: string }, tries: number) => string) {
  const server = simulatedServer(keyOf);
  const store: OutboxStore = memoryOutboxStore();
  let usable = true;
  let ids = 0;
  const open = () =>
    createOutbox({ store, perform: (a) => server.perform(a), usable, verdict: () => ({ retryInMs: 0 }), newId: () => `x${ids++}` });
  let outbox: Outbox = open();
  const typed: string[] = [];
  for (const s of steps) {
    if (s.type === 'type') {
      const text = `${s.thread ? 'r' : 'm'}${typed.length}`;
      typed.push(text);
      const clientMessageId = `c${typed.length}`;
      await outbox.add(s.thread ? { kind: 'reply', input: { rootId: '7', text, clientMessageId } } : { kind: 'send', input: { roomId: '1', text, clientMessageId } }, '1');
    } else if (s.type === 'down') {
      usable = false;
      outbox.setUsable(false);
      server.dropAll();
    } else if (s.type === 'up') {
      usable = true;
      outbox.setUsable(true);
    } else if (s.type === 'reload') {
      // The page goes away (its requests may still reach the server); a new one opens over the same store.
      outbox.close();
      outbox = open();
      await outbox.ready;
    } else if (s.type === 'answer') server.answer(s.fate, s.pick);
    await settle();
  }
  // Then the network heals and stays up: everything must drain.
  outbox.setUsable(true);
  for (let i = 0; i < 10 * (typed.length + 5) && (outbox.items().length > 0 || server.inFlight.length > 0); i++) {
    server.answer('ok');
    await settle();
  }
  outbox.close();
  return { typed, stored: server.stored.map((s) => s.text), left: outbox.items().length };
}

describe('the outbox', () => {
  it('delivers each message and thread reply exactly once, in the order typed, across any drops, lost answers, outages and reloads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const { typed, stored, left } = await run(steps, (input) => input.clientMessageId);
        expect(left).toBe(0);
        expect(stored).toEqual(typed);
      }),
      { numRuns: 150 },
    );
  });

  it('would send twice if a retry took a fresh clientMessageId (the property can fail)', async () => {
    await expect(
      fc.assert(
        fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
          const { typed, stored } = await run(steps, (input, tries) => `${input.clientMessageId}#${tries}`);
          expect(stored).toEqual(typed);
        }),
        { numRuns: 150 },
      ),
    ).rejects.toThrow();
  });
});
