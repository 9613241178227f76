import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a root package script as a user would (`pnpm bench:heap -- --help`), never throwing. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('pnpm', ['--silent', ...args], { cwd: repoRoot, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('the bench command lines', () => {
  it('pnpm bench:heap -- --help prints its options and exits 0', async () => {
    const r = await run(['bench:heap', '--', '--help']);
    expect(r.stderr).not.toContain('ERR_PARSE_ARGS');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: pnpm bench:heap');
    for (const option of ['--clients', '--subscribe', '--top', '--admin-url', '--keep']) expect(r.stdout).toContain(option);
  }, 60_000);

  it('pnpm bench -- --help prints its options and exits 0', async () => {
    const r = await run(['bench', '--', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: pnpm bench');
    for (const option of ['--scenario', '--repeat', '--rooms-users', '--targets']) expect(r.stdout).toContain(option);
  }, 60_000);

  it('seed:years without --database-url says it is required and exits 2, before touching any database', async () => {
    const r = await run(['--filter', '@chat/bench', 'seed:years', '--', '--messages', '10']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--database-url is required');
    expect(r.stderr).toContain('Usage: pnpm --filter @chat/bench seed:years');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('an unknown option names itself and shows the usage instead of a stack trace', async () => {
    const r = await run(['bench:heap', '--', '--clinets', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--clinets'");
    expect(r.stderr).toContain('Usage: pnpm bench:heap');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
