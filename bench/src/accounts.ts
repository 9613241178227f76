// Accounts (and rooms) on the server under test, made through its public HTTP API, typed from the
// router. Signup hashes with argon2, two at a time, so most scenarios reuse a handful of accounts.
import { randomBytes } from 'node:crypto';
import type { CallFrame, InputOf, OutputOf, ProcedurePath } from './load/frames';

export const BENCH_PASSWORD = 'bench-password-1234';

interface TrpcResult<T> {
  result?: { data: T };
  error?: { message: string };
}

type MutationPath = { [P in ProcedurePath]: CallFrame<P>['method'] extends 'mutation' ? P : never }[ProcedurePath];
type QueryPath = { [P in ProcedurePath]: CallFrame<P>['method'] extends 'query' ? P : never }[ProcedurePath];

async function reply<P extends ProcedurePath>(path: P, res: Response): Promise<OutputOf<P>> {
  const json = (await res.json()) as TrpcResult<OutputOf<P>>;
  if (!json.result) throw new Error(`${path} failed (${res.status}): ${json.error?.message ?? 'no result'}`);
  return json.result.data;
}

const headers = (token?: string): Record<string, string> => ({ 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) });

/** A mutation over HTTP (plain JSON, no transformer: the body is the input). */
export async function mutate<P extends MutationPath>(url: string, path: P, input: InputOf<P>, token?: string): Promise<OutputOf<P>> {
  const res = await fetch(`${url}/trpc/${path}`, { method: 'POST', headers: headers(token), body: JSON.stringify(input) });
  return reply(path, res);
}

export async function query<P extends QueryPath>(url: string, path: P, input: InputOf<P>, token?: string): Promise<OutputOf<P>> {
  const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  return reply(path, await fetch(`${url}/trpc/${path}${qs}`, { headers: headers(token) }));
}

export interface Account {
  id: string;
  username: string;
  token: string;
}

/**
 * On a loaded machine the server's hashing queue refuses sign-ups with 429 ("busy signing people
 * in"); a bench set-up waits and tries again rather than fail the run.
 */
async function signupRetrying(url: string, username: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await mutate(url, 'auth.signup', { username, password: BENCH_PASSWORD });
    } catch (error) {
      if (attempt >= 30 || !(error instanceof Error) || !error.message.includes('(429)')) throw error;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

export async function createAccounts(url: string, count: number, onProgress?: (made: number) => void): Promise<Account[]> {
  const tag = randomBytes(4).toString('hex');
  const accounts: Account[] = [];
  for (let i = 0; i < count; i += 4) {
    const batch = Array.from({ length: Math.min(4, count - i) }, (_, k) => `bench_${tag}_${i + k}`);
    accounts.push(
      ...(await Promise.all(
        batch.map(async (username) => {
          const { token, user } = await signupRetrying(url, username);
          return { id: user.id, username, token };
        }),
      )),
    );
    onProgress?.(accounts.length);
  }
  return accounts;
}

export const login = (url: string, username: string) => mutate(url, 'auth.login', { username, password: BENCH_PASSWORD });

/** The newest event id: where a client that has just read its snapshot starts chat.onEvent (as the web app does). */
export const eventCursor = async (url: string, token: string) => (await query(url, 'chat.eventCursor', undefined, token)).cursor;
