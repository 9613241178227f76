import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AppRouter } from '@chat/api';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { signUpClient } from './test-client';
import { startTestServer, type TestServer } from './testing';

type Account = Awaited<ReturnType<typeof signUpClient>>;

/** A server with an owner (made by `pnpm user:role`, as an operator would) and an admin the owner promoted. */
export async function startWithOwnerAndAdmin(adminDatabaseUrl: string): Promise<{ server: TestServer; owner: Account; admin: Account }> {
  const server = await startTestServer({ adminDatabaseUrl });
  const [owner, admin] = await Promise.all([signUpClient(server, 'owner'), signUpClient(server, 'admin')]);
  const made = await runUserRole(server.databaseUrl, owner.user.username, 'owner');
  if (made.code !== 0) throw new Error(`user:role failed: ${made.stderr}`);
  await http(server, owner.token).admin.setRole.mutate({ userId: admin.user.id, role: 'admin' });
  return { server, owner, admin };
}

const serverDir = fileURLToPath(new URL('../..', import.meta.url));

/** HTTP with exactly this token (none: anonymous). */
export const http = (server: Pick<TestServer, 'url'>, token: string | null) =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc`, headers: token ? { authorization: `Bearer ${token}` } : {} })] });

/** The refusal's code and message, or OK. */
export const outcome = async (call: Promise<unknown>) =>
  call.then(
    () => ({ code: 'OK', message: '' }),
    (error: unknown) => (error instanceof TRPCClientError ? { code: String(error.data?.code), message: error.message } : { code: String(error), message: '' }),
  );
export const codeOf = async (call: Promise<unknown>) => (await outcome(call)).code;

/** `pnpm user:role NAME ROLE` as an operator runs it: the real command in its own process. */
export const runUserRole = (databaseUrl: string, ...args: string[]) => runUserRoleOn({ databaseUrl }, ...args);

/** The same, with the deployment's Redis (REDIS_URL, REDIS_PREFIX) set as the operator's environment would. */
export function runUserRoleOn(
  deployment: { databaseUrl: string; redisUrl?: string; redisPrefix?: string },
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { REDIS_URL: _url, REDIS_PREFIX: _prefix, ...inherited } = process.env;
  const redis = deployment.redisUrl ? { REDIS_URL: deployment.redisUrl, REDIS_PREFIX: deployment.redisPrefix ?? 'chat:' } : {};
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/commands/user-role-command.ts', ...args], {
    cwd: serverDir,
    env: { ...inherited, ...redis, DATABASE_URL: deployment.databaseUrl, LOG_LEVEL: 'warn', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export async function until(what: string, predicate: () => boolean | Promise<boolean>, ms = 5_000) {
  const end = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
