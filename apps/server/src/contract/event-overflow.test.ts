import { appRouter, authenticate, createCallerFactory } from '@chat/api';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// chat.onEvent through a server-side caller: the test decides when the stream is read, so it can
// leave items to pile up past the stream's live buffer, as a stalled consumer would.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(() => server?.dispose());

type Item = { type: string; message?: { id: string } };
/** tracked(id, data) as the caller hands it over: [id, data, symbol]. */
const dataOf = (value: unknown) => (value as [string, Item])[1];

it('after its live buffer overflows, a stream reads every message back and starts its presence and typing again', async () => {
  const alice = await signUpClient(server, 'alice');
  const bob = await signUpClient(server, 'bob');
  const { cursor } = await alice.client.trpc.chat.eventCursor.query();
  const controller = new AbortController();
  const caller = createCallerFactory(appRouter)({ deps: server.deps, user: await authenticate(server.deps, alice.token), ip: '127.0.0.1', requestId: 'overflow-test' } as never, { signal: controller.signal });
  const stream = (await caller.chat.onEvent({ lastEventId: cursor }))[Symbol.asyncIterator]();
  expect(dataOf((await stream.next()).value).type).toBe('presence.snapshot');

  // More than the live buffer (1,000 items) while nobody reads.
  const sent: string[] = [];
  for (let batch = 0; batch < 22; batch++) {
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => bob.client.trpc.chat.send.mutate({ text: `m${batch * 50 + i}` }).then((m) => m.id)));
    sent.push(...ids);
  }
  sent.sort((a, b) => Number(BigInt(a) - BigInt(b)));

  const received: string[] = [];
  let snapshotsAfter = 0;
  while (snapshotsAfter === 0) {
    const { value, done } = await stream.next();
    expect(done).toBe(false);
    const item = dataOf(value);
    if (item.type === 'message.created') received.push(item.message!.id);
    if (item.type === 'presence.snapshot') {
      // The read-back is complete before the new snapshot.
      expect(received).toEqual(sent);
      snapshotsAfter++;
    }
  }
  controller.abort();
  await stream.return?.();
}, 60_000);
