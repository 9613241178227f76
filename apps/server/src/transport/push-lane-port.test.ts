import { type ApiDeps, createApiDeps, type EventWriter } from '@chat/api';
import { useMigratedDatabase } from '@chat/db/test-database';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from '../observability/logger';
import { signUpClient } from '../testing/test-client';
import { type ChatServer, createChatServer } from './chat-server';
import { createRequestIdentity } from './request-identity';

// docs/decisions/126: the deps are complete when built; the server attaches its sockets' lanes to
// the port they carry and assigns nothing to them afterwards.

const db = useMigratedDatabase({ poolMax: 5 });
let deps: ApiDeps | null = null;
let app: ChatServer | null = null;
afterAll(async () => {
  await app?.close();
  await deps?.close();
});

it("serves the push lane through the deps' own port, with the deps frozen before the server is made", async () => {
  deps = Object.freeze(createApiDeps({ orm: db.orm, token: { secret: 'push-lane-port-test-secret-0123456789', ttlSeconds: 3600 } }));
  await deps.ready;
  const port = deps.pushLane;
  const claims: (EventWriter | null)[] = [];
  const claimEvents = port.claimEvents.bind(port);
  port.claimEvents = (connectionId, lastEventId) => {
    const writer = claimEvents(connectionId, lastEventId);
    claims.push(writer);
    return writer;
  };
  app = createChatServer({ deps, logger: createLogger('silent'), allowedOrigins: [], webDistDir: null, identity: createRequestIdentity(false) });
  const { port: listening } = await app.listen(0, '127.0.0.1');
  const server = { url: `http://127.0.0.1:${listening}`, wsUrl: `ws://127.0.0.1:${listening}/ws` };
  const { client } = await signUpClient(server);
  const { cursor } = await client.trpc.chat.eventCursor.query();
  const texts: string[] = [];
  const sub = client.trpc.chat.onEvent.subscribe(
    { lastEventId: cursor },
    { onData: ({ data }) => data.type === 'message.created' && texts.push(data.message.text) },
  );
  await expect.poll(() => claims.length).toBe(1);
  expect(claims[0]).not.toBeNull();
  await client.trpc.chat.send.mutate({ text: 'through the lane' });
  await expect.poll(() => texts).toEqual(['through the lane']);
  sub.unsubscribe();
  await client.close();
});
