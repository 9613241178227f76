import { describe, expect, it } from 'vitest';
import { createWorkQueue } from './work-queue';

/** A job that runs until released, recording when it started. */
function gate() {
  const started: string[] = [];
  const releases: (() => void)[] = [];
  const job = (name: string) => () =>
    new Promise<string>((resolve) => {
      started.push(name);
      releases.push(() => resolve(name));
    });
  const releaseOne = async () => {
    releases.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { started, job, releaseOne };
}

const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? 'error');

describe('createWorkQueue', () => {
  it('runs waiting jobs one client at a time in turn, not first come first served', async () => {
    const queue = createWorkQueue({ concurrency: 1, maxWaiting: 100, maxWaitMs: 10_000 });
    const g = gate();
    const all = [queue.run('flood', g.job('flood-0'))];
    for (let i = 1; i <= 5; i++) all.push(queue.run('flood', g.job(`flood-${i}`)));
    all.push(queue.run('alice', g.job('alice')), queue.run('bob', g.job('bob')));
    for (let i = 0; i < 8; i++) await g.releaseOne();
    await Promise.all(all);
    expect(g.started).toEqual(['flood-0', 'flood-1', 'alice', 'bob', 'flood-2', 'flood-3', 'flood-4', 'flood-5']);
  });

  it('when full, a newcomer displaces the newest job of the client with the most waiting', async () => {
    const queue = createWorkQueue({ concurrency: 1, maxWaiting: 4, maxWaitMs: 10_000 });
    const g = gate();
    const flood = Array.from({ length: 5 }, (_, i) => outcome(queue.run('flood', g.job(`flood-${i}`))));
    const alice = outcome(queue.run('alice', g.job('alice')));
    const bob = outcome(queue.run('bob', g.job('bob')));
    for (let i = 0; i < 5; i++) await g.releaseOne();
    expect(await Promise.all(flood)).toEqual(['ok', 'ok', 'ok', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    expect([await alice, await bob]).toEqual(['ok', 'ok']);
    expect(g.started).toEqual(['flood-0', 'flood-1', 'alice', 'bob', 'flood-2']);
  });

  it('refuses a newcomer at once when the full queue is already shared fairly', async () => {
    const queue = createWorkQueue({ concurrency: 1, maxWaiting: 2, maxWaitMs: 10_000 });
    const g = gate();
    const first = outcome(queue.run('a', g.job('a-0')));
    const waiting = [outcome(queue.run('a', g.job('a-1'))), outcome(queue.run('b', g.job('b-0')))];
    expect(await outcome(queue.run('a', g.job('a-2')))).toBe('TOO_MANY_REQUESTS');
    expect(await outcome(queue.run('c', g.job('c-0')))).toBe('TOO_MANY_REQUESTS');
    for (let i = 0; i < 3; i++) await g.releaseOne();
    expect(await Promise.all([first, ...waiting])).toEqual(['ok', 'ok', 'ok']);
    expect(queue.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses a job that waited longer than maxWaitMs, and keeps counting right', async () => {
    const queue = createWorkQueue({ concurrency: 1, maxWaiting: 10, maxWaitMs: 20 });
    const g = gate();
    const first = outcome(queue.run('a', g.job('a-0')));
    expect(await outcome(queue.run('b', g.job('b-0')))).toBe('TOO_MANY_REQUESTS');
    expect(queue.stats()).toEqual({ running: 1, waiting: 0 });
    await g.releaseOne();
    expect(await first).toBe('ok');
    expect(g.started).toEqual(['a-0']);
  });
});
