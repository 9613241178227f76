// Accounts for the server under test, made through its public API (signup hashes with argon2,
// two at a time, so a handful of accounts is reused by many connections).
import { randomBytes } from 'node:crypto';

export const BENCH_PASSWORD = 'bench-password-1234';

interface TrpcResult<T> {
  result?: { data: T };
  error?: { message: string };
}

async function call<T>(url: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${url}/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as TrpcResult<T>;
  if (!json.result) throw new Error(`${path} failed (${res.status}): ${json.error?.message ?? 'no result'}`);
  return json.result.data;
}

export interface Account {
  username: string;
  token: string;
}

export async function createAccounts(url: string, count: number): Promise<Account[]> {
  const tag = randomBytes(4).toString('hex');
  const accounts: Account[] = [];
  for (let i = 0; i < count; i += 4) {
    const batch = Array.from({ length: Math.min(4, count - i) }, (_, k) => `bench_${tag}_${i + k}`);
    accounts.push(
      ...(await Promise.all(batch.map(async (username) => ({ username, token: (await call<{ token: string }>(url, 'auth.signup', { username, password: BENCH_PASSWORD })).token })))),
    );
  }
  return accounts;
}

export const login = (url: string, username: string) => call<{ token: string }>(url, 'auth.login', { username, password: BENCH_PASSWORD });
