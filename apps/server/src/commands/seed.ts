import { randomBytes } from 'node:crypto';
import { type ApiDeps, appRouter, authenticate, type AuthUser, createCallerFactory, createContextInner } from '@chat/api';
import { TRPCError } from '@trpc/server';

export const DEMO_USERNAMES = ['alice', 'bob', 'carol'] as const;

const DEMO_CONVERSATION: ReadonlyArray<[author: (typeof DEMO_USERNAMES)[number], text: string]> = [
  ['alice', 'Hi everyone! This is the demo chat.'],
  ['bob', 'Hello Alice. Messages arrive live over the WebSocket.'],
  ['carol', 'And the history is kept in PostgreSQL, so reload the page and they are still here.'],
  ['alice', 'Try the user search at the top, or log in as Bob in a second window.'],
];

export interface SeedResult {
  /** Users created by this run, with the password made for them; only this run knows it. */
  created: Array<{ username: string; password: string }>;
  /** Demo users that already existed; their passwords are the ones printed when they were created. */
  existing: string[];
  messagesPosted: number;
}

const createCaller = createCallerFactory(appRouter);

/**
 * Demo users and a short conversation, through the same procedures the clients call (so passwords
 * are hashed and messages stored exactly as in real use). Safe to run twice: existing users are kept
 * and the conversation is only posted into an empty chat.
 */
export async function seedDemoData(deps: ApiDeps): Promise<SeedResult> {
  // Random passwords: a seeded server reachable from the internet must not have well-known logins.
  const as = (user: AuthUser | null) => createCaller(createContextInner({ deps, user, ip: 'seed', requestId: 'seed' }));
  const result: SeedResult = { created: [], existing: [], messagesPosted: 0 };
  const tokens = new Map<string, string>();
  for (const username of DEMO_USERNAMES) {
    const password = randomBytes(12).toString('base64url');
    try {
      const { token } = await as(null).auth.signup({ username, password });
      tokens.set(username, token);
      result.created.push({ username, password });
    } catch (error) {
      if (!(error instanceof TRPCError && error.code === 'CONFLICT')) throw error;
      result.existing.push(username);
    }
  }
  // Only a chat this run started from scratch gets the conversation: never post as someone else's account.
  if (tokens.size !== DEMO_USERNAMES.length) return result;
  const first = await as(await authenticate(deps, tokens.get('alice'))).chat.history({ limit: 1 });
  if (first.messages.length > 0) return result;
  for (const [author, text] of DEMO_CONVERSATION) {
    await as(await authenticate(deps, tokens.get(author))).chat.send({ text });
    result.messagesPosted += 1;
  }
  // A channel and a DM, so the room list has something besides #everyone.
  const alice = as(await authenticate(deps, tokens.get('alice')));
  const bob = as(await authenticate(deps, tokens.get('bob')));
  const random = await alice.room.create({ name: 'random', kind: 'channel', topic: 'Anything goes' });
  await bob.room.join({ roomId: random.id });
  await bob.chat.send({ roomId: random.id, text: 'First in #random!' });
  const dm = await alice.room.openDirect({ userId: (await bob.auth.me()).id });
  await alice.chat.send({ roomId: dm.id, text: 'Psst, Bob: this one is just between us.' });
  return result;
}
