import { TRPCClientError } from '@trpc/client';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestClient, signUpClient, type TestClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

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

/** Runs `call`, expecting a tRPC error, and returns its code and message. */
async function refusal(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    return { code: error.data?.code as string, message: error.message, data: error.data, shape: error.shape };
  }
  throw new Error('expected the call to be refused');
}

describe('auth.signup', () => {
  it('creates an account and returns a token and the public user', async () => {
    const result = await anon.trpc.auth.signup.mutate({ username: 'Alice.Smith-1', password: 'pässwörd-ünïcode' });
    expect(result.user).toEqual({ id: expect.any(String), username: 'Alice.Smith-1', createdAt: expect.any(String) });
    expect(new Date(result.user.createdAt).toISOString()).toBe(result.user.createdAt);
    expect(result.token.split('.')).toHaveLength(3);
    expect(JSON.stringify(result)).not.toMatch(/argon2|hash/i);
  });

  it('refuses a username taken in another letter case with CONFLICT', async () => {
    await anon.trpc.auth.signup.mutate({ username: 'CaseName', password: 'correct horse battery' });
    const error = await refusal(() => anon.trpc.auth.signup.mutate({ username: 'casename', password: 'correct horse battery' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/taken/);
  });

  it.each([
    ['too short', { username: 'ab', password: 'password123' }],
    ['too long', { username: 'a'.repeat(33), password: 'password123' }],
    ['a space', { username: 'bad name', password: 'password123' }],
    ['markup', { username: '<script>', password: 'password123' }],
    ['a short password', { username: 'okname', password: 'short' }],
    ['a 129-character password', { username: 'okname', password: 'p'.repeat(129) }],
  ])('refuses a username or password with %s as BAD_REQUEST with the zod issues', async (_, input) => {
    const error = await refusal(() => anon.trpc.auth.signup.mutate(input));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.data?.zodIssues?.length).toBeGreaterThan(0);
    expect(JSON.stringify(error.shape)).not.toMatch(/at .*\.ts:\d+|stack/);
  });

  it('accepts 8 emoji as an 8-character password (code points, not UTF-16 units)', async () => {
    const result = await anon.trpc.auth.signup.mutate({ username: 'emoji_pw', password: '🔥🌊🍀🎲🚀🌙🎧🦊' });
    expect(result.user.username).toBe('emoji_pw');
  });

  it('refuses unknown keys and wrong types', async () => {
    const unknownKey = await refusal(() => anon.trpc.auth.signup.mutate({ username: 'someone', password: 'password123', admin: true } as never));
    expect(unknownKey.code).toBe('BAD_REQUEST');
    const wrongType = await refusal(() => anon.trpc.auth.signup.mutate({ username: 42, password: 'password123' } as never));
    expect(wrongType.code).toBe('BAD_REQUEST');
  });
});

describe('auth.login', () => {
  it('returns a working token for the right password, whatever the username case', async () => {
    await anon.trpc.auth.signup.mutate({ username: 'LoginUser', password: 'the password' });
    const { token, user } = await anon.trpc.auth.login.mutate({ username: 'loginuser', password: 'the password' });
    expect(user.username).toBe('LoginUser');
    const me = await createTestClient(server, token).trpc.auth.me.query();
    expect(me).toEqual(user);
  });

  it('refuses a wrong password and an unknown user alike with UNAUTHORIZED', async () => {
    await anon.trpc.auth.signup.mutate({ username: 'victim', password: 'the password' });
    const wrong = await refusal(() => anon.trpc.auth.login.mutate({ username: 'victim', password: 'not the password' }));
    const unknown = await refusal(() => anon.trpc.auth.login.mutate({ username: 'nobody_here', password: 'not the password' }));
    expect(wrong.code).toBe('UNAUTHORIZED');
    expect(unknown.code).toBe('UNAUTHORIZED');
    expect(wrong.message).toBe(unknown.message);
  });
});

describe('auth.me and protected procedures', () => {
  it('returns the caller', async () => {
    const { client, user } = await signUpClient(server, 'me');
    expect(await client.trpc.auth.me.query()).toEqual(user);
  });

  const forge = async (claims: Record<string, unknown>, opts: { secret?: string; alg?: string; exp?: string | null; iss?: string } = {}) => {
    const jwt = new SignJWT({ name: 'x', ...claims })
      .setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT' })
      .setSubject('00000000-0000-0000-0000-000000000000')
      .setJti('forged')
      .setIssuer(opts.iss ?? 'chat')
      .setAudience('chat')
      .setIssuedAt();
    if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? '1h');
    return jwt.sign(new TextEncoder().encode(opts.secret ?? server.jwtSecret));
  };
  const noneToken = () => {
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'x', name: 'x', iss: 'chat', aud: 'chat', iat: now, exp: now + 3600, jti: 'j' })}.`;
  };

  it.each([
    ['no token', async () => null],
    ['a malformed token', async () => 'not-a-jwt'],
    ['a tampered token', async () => (await signUpClient(server, 'tamper')).token.slice(0, -3) + 'AAA'],
    ['a wrong-secret token', () => forge({}, { secret: 'another-secret-that-is-long-enough-000000' })],
    ['an alg:none token', async () => noneToken()],
    ['an expired token', () => forge({}, { exp: '-10 minutes' })],
    ['a token without exp', () => forge({}, { exp: null })],
    ['a token from another issuer', () => forge({}, { iss: 'someone-else' })],
  ])('refuses %s with UNAUTHORIZED', async (_, makeToken) => {
    const client = createTestClient(server, await makeToken());
    expect((await refusal(() => client.trpc.auth.me.query())).code).toBe('UNAUTHORIZED');
    expect((await refusal(() => client.trpc.chat.send.mutate({ text: 'hi' }))).code).toBe('UNAUTHORIZED');
  });
});
