import { repositoriesFor } from '@chat/db';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestClient, signUpClient, type TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Repetitive, sequential and keyboard-row passwords (docs/decisions/129-password-patterns.md),
// none of them on the common list, offered to the running server at sign-up and as a new password.
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

async function refusal(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const issues = (error.data?.zodIssues ?? null) as { path: string[]; message: string }[] | null;
    return { code: error.data?.code as string, message: error.message, issues };
  }
  throw new Error('expected the call to be refused');
}

const PATTERNED: [string, RegExp][] = [
  ['aaaaaaaa', /one character or a short piece repeated/],
  ['00000000', /one character or a short piece repeated/],
  ['abababab', /one character or a short piece repeated/],
  ['abcdefgh', /mostly a sequence/],
  ['87654321', /mostly a sequence/],
  ['zxcvbnm,.', /row of neighbouring keys/],
];

describe('sign-up refuses patterned passwords', () => {
  it.each(PATTERNED)('refuses %s with BAD_REQUEST on the password field, saying why', async (password, why) => {
    const username = `pattern${password.length}${Math.random().toString(36).slice(2, 7)}`;
    const error = await refusal(() => anon.trpc.auth.signup.mutate({ username, password }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.issues).toEqual([expect.objectContaining({ path: ['password'], message: expect.stringMatching(why) })]);
    expect(await repositoriesFor(server.orm.em.fork()).users.findCredentials(username)).toBeNull();
  });

  it('still accepts a passphrase with a short run inside it', async () => {
    const result = await anon.trpc.auth.signup.mutate({ username: 'passphraser', password: 'my cat is 12345 years old' });
    expect(result.user.username).toBe('passphraser');
  });
});

describe('changePassword refuses patterned new passwords', () => {
  it.each(PATTERNED)('refuses %s with BAD_REQUEST, saying why, and keeps the old password', async (newPassword, why) => {
    const { client, password, user } = await signUpClient(server, 'changer');
    const error = await refusal(() => client.trpc.auth.changePassword.mutate({ currentPassword: password, newPassword }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(why);
    await expect(anon.trpc.auth.login.mutate({ username: user.username, password })).resolves.toMatchObject({ user: { id: user.id } });
    await client.close();
  });
});
