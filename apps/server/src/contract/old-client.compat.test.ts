import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createTestClient, type TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

/*
 * A bot written before the pipelines became one (docs/decisions/132) drives the real server with the
 * real client: every subscription a bot may hold, resumes included. What each one yields, in order,
 * is compared with old-client.golden.json, recorded against the server as it was before that change:
 * an unchanged client must see the same items in the same order. Only ids, times and tokens are
 * normalised (to placeholders by first appearance), since a fresh database numbers them its own way.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(() => server?.dispose());

type Entry = { item: unknown } | { end: string; during: string };

/** The scenario's step now running: a subscription's end is recorded with it. */
const now = { step: 'start' };

/** One subscription's transcript: its items (with their tracked id) and how it ended, unless the bot unsubscribed. */
function record(transcripts: Map<string, Entry[]>, name: string) {
  const entries: Entry[] = [];
  transcripts.set(name, entries);
  const end = (how: string) => {
    if (now.step !== 'unsubscribe') entries.push({ end: how, during: now.step });
  };
  return {
    onData: (item: unknown) => entries.push({ item }),
    onError: (error: unknown) => end(`error ${error instanceof TRPCClientError ? String(error.data?.code) : 'unknown'}`),
    onComplete: () => end('complete'),
  };
}

const count = (transcripts: Map<string, Entry[]>) => [...transcripts.values()].reduce((n, entries) => n + entries.length, 0);

/** Waits until no subscription has received anything for a while: the scenario's steps never overlap. */
async function quiet(transcripts: Map<string, Entry[]>) {
  let seen = -1;
  for (let i = 0; i < 50 && seen !== count(transcripts); i++) {
    seen = count(transcripts);
    await new Promise((r) => setTimeout(r, 400));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NUMERIC = /^[0-9]+$/;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const EVERYONE = '00000000-0000-4000-8000-000000000001';

/** Ids and times as placeholders numbered by first appearance, so two runs compare equal. */
function normalise(value: unknown): unknown {
  const names = new Map<string, string>();
  const name = (kind: string, raw: string) => {
    const key = `${kind}:${raw}`;
    if (!names.has(key)) names.set(key, `<${kind} ${[...names.keys()].filter((k) => k.startsWith(`${kind}:`)).length + 1}>`);
    return names.get(key)!;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v === EVERYONE) return '<#everyone>';
      if (UUID.test(v)) return name('uuid', v);
      if (NUMERIC.test(v)) return name('id', v);
      if (TIME.test(v)) return '<time>';
      return v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

it('a bot written before one pipeline sees every subscription yield what it did', async () => {
  const signup = async (username: string) => {
    const anon = createTestClient(server, null);
    const auth = await anon.trpc.auth.signup.mutate({ username, password: 'correct horse battery' });
    return { ...auth, client: createTestClient(server, auth.token) };
  };
  const bot = await signup('compatbot');
  const alice = await signup('compatalice');
  const carol = await signup('compatcarol');
  const clients: TestClient[] = [bot.client, alice.client, carol.client];
  const transcripts = new Map<string, Entry[]>();
  const subs: { unsubscribe(): void }[] = [];
  const chat = bot.client.trpc.chat;

  // Alice's channel the bot will be removed from, and one it stays in.
  const room = await alice.client.trpc.room.create.mutate({ name: 'compat-room', kind: 'channel' });
  const stay = await alice.client.trpc.room.create.mutate({ name: 'compat-stay', kind: 'channel' });
  await bot.client.trpc.room.join.mutate({ roomId: room.id });
  await bot.client.trpc.room.join.mutate({ roomId: stay.id });
  const before = await alice.client.trpc.chat.send.mutate({ text: 'before the bot listened' });
  const beforeInStay = await alice.client.trpc.chat.send.mutate({ roomId: stay.id, text: 'stay: before the bot listened' });
  const { cursor } = await chat.eventCursor.query();

  // One at a time, so each subscription's first items do not depend on which opened first.
  subs.push(chat.onPresence.subscribe(undefined, record(transcripts, 'onPresence')));
  await quiet(transcripts);
  subs.push(chat.onTyping.subscribe(undefined, record(transcripts, 'onTyping')));
  await quiet(transcripts);
  subs.push(chat.onMessage.subscribe({}, record(transcripts, 'onMessage #everyone live')));
  await quiet(transcripts);
  subs.push(chat.onMessage.subscribe(undefined, record(transcripts, 'onMessage no input')));
  await quiet(transcripts);
  subs.push(chat.onMessage.subscribe({ roomId: room.id }, record(transcripts, 'onMessage room live')));
  await quiet(transcripts);
  subs.push(chat.onEvent.subscribe(undefined, record(transcripts, 'onEvent live')));
  await quiet(transcripts);

  // Alice comes online (her socket), so presence moves; then the conversation.
  subs.push(alice.client.trpc.chat.onMessage.subscribe({}, { onData: () => {} }));
  await quiet(transcripts);
  const steps: [string, () => Promise<unknown>][] = [
    ['alice posts in #everyone', () => alice.client.trpc.chat.send.mutate({ text: 'hello everyone' })],
    ['the bot posts in #everyone', () => chat.send.mutate({ text: 'hello from the bot' })],
    ['alice posts in the room', () => alice.client.trpc.chat.send.mutate({ roomId: room.id, text: 'in the room' })],
    ['alice types in #everyone', () => alice.client.trpc.chat.typing.mutate({ typing: true })],
    ['alice stops typing in #everyone', () => alice.client.trpc.chat.typing.mutate({ typing: false })],
    ['alice types in the room', () => alice.client.trpc.chat.typing.mutate({ typing: true, roomId: room.id })],
    ['alice stops typing in the room', () => alice.client.trpc.chat.typing.mutate({ typing: false, roomId: room.id })],
    ['alice edits', () => alice.client.trpc.chat.edit.mutate({ messageId: before.id, text: 'before, edited' })],
    ['alice reacts', () => alice.client.trpc.chat.react.mutate({ messageId: before.id, emoji: '👍', on: true })],
    ['carol joins the room', () => carol.client.trpc.room.join.mutate({ roomId: room.id })],
    ['carol posts in the room', () => carol.client.trpc.chat.send.mutate({ roomId: room.id, text: 'carol in the room' })],
    ['carol posts in #everyone', () => carol.client.trpc.chat.send.mutate({ text: 'carol everywhere' })],
    ['alice deletes', () => alice.client.trpc.chat.delete.mutate({ messageId: before.id })],
    ['carol leaves the room', () => carol.client.trpc.room.leave.mutate({ roomId: room.id })],
    ['alice removes the bot from the room', () => alice.client.trpc.room.remove.mutate({ roomId: room.id, userId: bot.user.id })],
    ['alice posts in the room after', () => alice.client.trpc.chat.send.mutate({ roomId: room.id, text: 'after the bot left' })],
    ['alice posts in #everyone last', () => alice.client.trpc.chat.send.mutate({ text: 'last live' })],
  ];
  for (const [name, step] of steps) {
    now.step = name;
    await step();
    await quiet(transcripts);
  }
  now.step = 'resumes';

  // Resumes, as a bot reconnecting after being away does.
  subs.push(chat.onMessage.subscribe({ lastEventId: before.id }, record(transcripts, 'onMessage #everyone resumed')));
  await quiet(transcripts);
  subs.push(chat.onMessage.subscribe({ roomId: stay.id, lastEventId: beforeInStay.id }, record(transcripts, 'onMessage room resumed')));
  await quiet(transcripts);
  subs.push(chat.onEvent.subscribe({ lastEventId: cursor }, record(transcripts, 'onEvent resumed')));
  await quiet(transcripts);
  await alice.client.trpc.chat.send.mutate({ roomId: stay.id, text: 'stay: live after resume' });
  await quiet(transcripts);
  // Alice goes offline: every presence stream hears it.
  now.step = 'alice offline';
  await alice.client.close();
  // Past the presence grace period (2 s): a close is told only once it is not a reconnect.
  await new Promise((r) => setTimeout(r, 2_500));
  await quiet(transcripts);

  now.step = 'unsubscribe';
  for (const sub of subs) sub.unsubscribe();
  await Promise.all(clients.map((c) => c.close()));
  const transcript = Object.fromEntries([...transcripts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  await expect(`${JSON.stringify(normalise(transcript), null, 2)}\n`).toMatchFileSnapshot('./old-client.golden.json');
}, 120_000);
