import { repositoriesFor } from '@chat/db';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestClient, signUpClient, type TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Names and text an attacker would pick to pass for someone or something else, against the running server.
let server: TestServer;
let anon: TestClient;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
  anon = createTestClient(server, null);
});
afterAll(async () => {
  await anon?.close();
  await server?.dispose();
});

const password = 'names-test-Kq7vX2';
const signup = (username: string) => anon.trpc.auth.signup.mutate({ username, password });

async function refusal(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    return { code: error.data?.code as string, message: error.message };
  }
  throw new Error('expected the call to be refused');
}

describe('sign-up by look-alike names', () => {
  it('refuses names that look like an existing one, with CONFLICT and a reason', async () => {
    await signup('alice');
    await signup('mary');
    await signup('bob');
    for (const lookAlike of ['aIice', 'a1ice', 'ALICE', 'AL1CE', 'alice_', 'a.lice', 'rnary', 'MARY', 'b0b', 'B0B']) {
      const error = await refusal(() => signup(lookAlike));
      expect(error, lookAlike).toEqual({ code: 'CONFLICT', message: expect.stringMatching(/too similar to an existing name|is taken/) });
    }
    expect((await refusal(() => signup('aIice'))).message).toBe('The username "aIice" is too similar to an existing name; pick another one');
  });

  it('still accepts names that merely share letters with existing ones', async () => {
    await signup('carol');
    for (const name of ['carolyn', 'caro', 'karol', 'alicia', 'mary_jane', 'robert.b', 'nary']) {
      await expect(signup(name), name).resolves.toMatchObject({ user: { username: name } });
    }
  });

  it('lets exactly one of many concurrent look-alike sign-ups win: the unique index decides', async () => {
    // Different in lower case, so only the skeleton index can tell them apart.
    const variants = ['lunar', 'Iunar', '1unar', 'lunAr', 'l_unar', 'lu.nar', 'IUNAR', '1-unar'];
    const results = await Promise.allSettled(variants.map((name) => signup(name)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const codes = results.flatMap((r) => (r.status === 'rejected' && r.reason instanceof TRPCClientError ? [r.reason.data?.code] : []));
    expect(codes).toEqual(Array(variants.length - 1).fill('CONFLICT'));
  });
});

describe('reserved and empty-looking names', () => {
  it('refuses reserved names in any look-alike spelling with CONFLICT', async () => {
    for (const name of ['admin', 'Admin', 'adm1n', 'ADMlN', 'administrator', 'root', 'r00t', 'system', 'moderator', 'mod', 'support', 'staff', 'security', 'everyone', 'here', 'channel', 'all', 'owner', 'bot', 'help', 'null', 'undefined', 'api', 'www', '_admin_']) {
      expect(await refusal(() => signup(name)), name).toEqual({ code: 'CONFLICT', message: `The username "${name}" is reserved; pick another one` });
    }
  });

  it('refuses a name without a letter or digit with BAD_REQUEST', async () => {
    for (const name of ['...', '---', '___', '._-', '-_.-_.']) {
      expect(await refusal(() => signup(name)), name).toEqual({ code: 'BAD_REQUEST', message: 'Username must contain at least one letter or digit' });
    }
  });

  it('keeps login working for an account that already has a reserved or look-alike name', async () => {
    // Accounts from before these rules, written as the migration leaves them.
    const repos = repositoriesFor(server.orm.em.fork());
    const passwordHash = await server.deps.passwords.hash(password, '127.0.0.1');
    expect(await repos.users.insertIfUsernameFree({ username: 'moderators', passwordHash })).not.toBeNull();
    await server.orm.em.getConnection().execute(`insert into users (id, username, password_hash, created_at) values (gen_random_uuid(), '...', ?, now())`, [passwordHash]);
    for (const username of ['moderators', '...']) {
      const { token, user } = await anon.trpc.auth.login.mutate({ username, password });
      expect(user.username).toBe(username);
      expect(await createTestClient(server, token).trpc.auth.me.query()).toMatchObject({ username });
    }
  });
});

describe('bidi controls in message text', () => {
  it('stores and delivers a right-to-left override without its power to reverse the file name', async () => {
    const { client } = await signUpClient(server, 'bidi');
    const sent = await client.trpc.chat.send.mutate({ text: 'invoice\u202Efdp.exe' });
    expect(sent.text).toBe('invoicefdp.exe');
    const { messages } = await client.trpc.chat.history.query({ limit: 1 });
    expect(messages[0]?.text).toBe('invoicefdp.exe');
  });

  it('closes an isolate left open at the end of its line and drops a stray closer', async () => {
    const { client } = await signUpClient(server, 'bidi');
    const sent = await client.trpc.chat.send.mutate({ text: '\u2067\u05E9\u05DC\u05D5\u05DD\nnext \u2069line' });
    expect(sent.text).toBe('\u2067\u05E9\u05DC\u05D5\u05DD\u2069\nnext line');
  });
});
