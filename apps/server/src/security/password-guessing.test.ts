import { repositoriesFor } from '@chat/db';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signUpClient } from '../testing/test-client';
import { redisAvailable, TEST_REDIS_URL } from '../testing/test-redis';
import { startTestServer, type TestServer, type TestServerOptions } from '../testing/testing';

// Password guessing and login availability, attacked as a botnet would: real HTTP, batches, real
// concurrency, and many client addresses (every 127.x.y.z reaches a server on 127.0.0.1).

const hasRedis = await redisAvailable('password-guessing.test.ts');

interface Outcome {
  code: string;
  retryAfterSeconds: number | null;
  message: string;
  zodIssues: { path: string[]; message: string }[] | null;
}

/** POSTs one tRPC batch (one HTTP request) from `from`; one outcome per call, 'ok' for a result. */
function batch(server: TestServer, from: string, path: string, inputs: object[]): Promise<Outcome[]> {
  const body = JSON.stringify(Object.fromEntries(inputs.map((input, i) => [i, input])));
  const url = new URL(`${server.url}/trpc/${inputs.map(() => path).join(',')}?batch=1`);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', localAddress: from, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            const items = JSON.parse(text) as { result?: unknown; error?: { message: string; data: { code: string; retryAfterSeconds: number | null; zodIssues: Outcome['zodIssues'] } } }[];
            resolve(
              items.map((item) =>
                item.error
                  ? { code: item.error.data.code, retryAfterSeconds: item.error.data.retryAfterSeconds, message: item.error.message, zodIssues: item.error.data.zodIssues }
                  : { code: 'ok', retryAfterSeconds: null, message: '', zodIssues: null },
              ),
            );
          } catch (error) {
            reject(new Error(`${res.statusCode}: ${text.slice(0, 200)}`, { cause: error }));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const login = (server: TestServer, from: string, username: string, password: string) =>
  batch(server, from, 'auth.login', [{ username, password }]).then(([outcome]) => outcome!);
const codes = (outcomes: Outcome[]) => {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.code] = (counts[o.code] ?? 0) + 1;
  return counts;
};
const addr = (n: number) => `127.0.${Math.floor(n / 250) + 1}.${(n % 250) + 2}`;

// A queue that refuses nothing, so before the fix every guess is verified rather than turned away busy.
const PATIENT_QUEUE = { concurrency: 1, maxWaiting: 1_000, maxWaitMs: 60_000 };

describe.each([
  ['the memory store', {}],
  ['Redis', { redisUrl: TEST_REDIS_URL }],
] as [string, Partial<TestServerOptions>][])('with limits in %s', (store, storeOptions) => {
  let server: TestServer;
  const skip = store === 'Redis' && !hasRedis;
  beforeAll(async () => {
    if (skip) return;
    server = await startTestServer({
      adminDatabaseUrl: inject('adminDatabaseUrl'),
      hashQueue: PATIENT_QUEUE,
      rateLimits: { loginFailuresPerUserIp: { points: 5, duration: 900 }, loginFailuresPerAccount: { points: 20, duration: 86_400 } },
      ...storeOptions,
    });
  });
  afterAll(() => server?.dispose());

  it.skipIf(skip)('60 parallel wrong logins for one user from one address, in 6 batches of 10: exactly 5 are verified', async () => {
    const { user, password } = await signUpClient(server, 'parallel');
    const guesses = Array.from({ length: 6 }, (_, b) => batch(server, '127.1.0.2', 'auth.login', Array.from({ length: 10 }, (_, i) => ({ username: user.username, password: `guess-${b}-${i}` }))));
    const outcomes = (await Promise.all(guesses)).flat();
    expect(codes(outcomes)).toEqual({ UNAUTHORIZED: 5, TOO_MANY_REQUESTS: 55 });
    // Still blocked for that address, even with the right password; not for the owner elsewhere.
    expect((await login(server, '127.1.0.2', user.username, password)).code).toBe('TOO_MANY_REQUESTS');
    expect((await login(server, '127.1.0.3', user.username, password)).code).toBe('ok');
  });

  it.skipIf(skip)('30 addresses × 5 parallel failures against one account: only the account budget (20 here) is verified', async () => {
    const { user, password } = await signUpClient(server, 'botnet');
    // The owner logged in from home before the attack.
    expect((await login(server, '127.2.0.1', user.username, password)).code).toBe('ok');
    const attack = Array.from({ length: 30 }, (_, n) =>
      batch(server, addr(n + 500), 'auth.login', Array.from({ length: 5 }, (_, i) => ({ username: user.username, password: `botnet-guess-${n}-${i}` }))),
    );
    const outcomes = (await Promise.all(attack)).flat();
    expect(codes(outcomes)).toEqual({ UNAUTHORIZED: 20, TOO_MANY_REQUESTS: 130 });
    const refusal = outcomes.find((o) => o.code === 'TOO_MANY_REQUESTS');
    expect(refusal?.message).toMatch(/for this account/);
    expect(refusal?.retryAfterSeconds).toBeGreaterThan(3600);
    // A new address waits, even with the right password; the owner's known address does not.
    expect((await login(server, '127.2.0.9', user.username, password)).code).toBe('TOO_MANY_REQUESTS');
    expect((await login(server, '127.2.0.1', user.username, password)).code).toBe('ok');
    // That success ends the run of consecutive failures: the new address gets in too.
    expect((await login(server, '127.2.0.9', user.username, password)).code).toBe('ok');
  });

  it.skipIf(skip)('a handful of failures from other addresses never blocks the owner on a new address', async () => {
    const { user, password } = await signUpClient(server, 'handful');
    for (let n = 0; n < 3; n++) {
      const outcomes = await batch(server, addr(n + 900), 'auth.login', Array.from({ length: 4 }, (_, i) => ({ username: user.username, password: `oops-typo-${i}` })));
      expect(codes(outcomes)).toEqual({ UNAUTHORIZED: 4 });
    }
    expect((await login(server, '127.3.0.1', user.username, password)).code).toBe('ok');
  });
});

describe('the hash queue under a flood of correct logins from one address', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      adminDatabaseUrl: inject('adminDatabaseUrl'),
      hashQueue: { concurrency: 1, maxWaiting: 16, maxWaitMs: 10_000 },
      rateLimits: { loginsPerIp: { points: 30, duration: 60 } },
    });
  });
  afterAll(() => server?.dispose());

  it('200 concurrent logins from one address: at most 30 are hashed, and 5 other users on other addresses all get in', async () => {
    const flooder = await signUpClient(server, 'flooder');
    const victims = await Promise.all(Array.from({ length: 5 }, () => signUpClient(server, 'victim')));
    const flood = Array.from({ length: 20 }, () =>
      batch(server, '127.4.0.1', 'auth.login', Array.from({ length: 10 }, () => ({ username: flooder.user.username, password: flooder.password }))),
    );
    // The victims come once the flood has the queue full (its first answers are refusals).
    await Promise.race(flood);
    const victimOutcomes = await Promise.all(victims.map((v, i) => login(server, `127.4.1.${i + 1}`, v.user.username, v.password)));
    const floodOutcomes = (await Promise.all(flood)).flat();
    expect(victimOutcomes.map((o) => o.code)).toEqual(Array(5).fill('ok'));
    expect(floodOutcomes.filter((o) => o.code === 'ok').length).toBeLessThanOrEqual(30);
    expect(new Set(floodOutcomes.map((o) => o.code))).toEqual(new Set(['ok', 'TOO_MANY_REQUESTS']));
  });
});

describe('the sign-up password policy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
  });
  afterAll(() => server?.dispose());

  it.each([
    ['password', 'newbie1', /most common passwords/],
    ['12345678', 'newbie2', /most common passwords/],
    ['qwertyuiop', 'newbie3', /most common passwords/],
    ['iloveyou1', 'newbie4', /most common passwords/],
    ['Password123', 'newbie5', /most common passwords/],
    ['GrumpyCat_77', 'grumpycat_77', /must not contain your username/],
    ['my-grumpycat_78-pass', 'GrumpyCat_78', /must not contain your username/],
  ])('refuses %s for %s with BAD_REQUEST on the password field', async (password, username, why) => {
    const [outcome] = await batch(server, '127.5.0.1', 'auth.signup', [{ username, password }]);
    expect(outcome?.code).toBe('BAD_REQUEST');
    expect(outcome?.zodIssues).toEqual([expect.objectContaining({ path: ['password'], message: expect.stringMatching(why) })]);
    const repos = repositoriesFor(server.orm.em.fork());
    expect(await repos.users.findCredentials(username)).toBeNull();
  });

  it('still logs in an existing user whose password the policy would now refuse', async () => {
    const repos = repositoriesFor(server.orm.em.fork());
    await repos.users.insertIfUsernameFree({ username: 'oldtimer', passwordHash: await server.deps.passwords.hash('iloveyou1', 'test') });
    expect((await login(server, '127.5.0.2', 'oldtimer', 'iloveyou1')).code).toBe('ok');
  });
});
