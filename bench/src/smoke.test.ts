// CI-sized run of the whole harness (real server processes, load-generator processes, both
// baselines), so it cannot rot. It checks correctness only: everyone connected, nothing lost.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { initORM, migrate } from '@chat/db';
import { createTestDatabase, type TestDatabase } from '@chat/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BLOAT_TABLES, bloatMarkdown, bloatScenario } from './bloat/scenario';
import { type CpuProfile, summarize } from './profile-summary';
import { capacityOf, pastCapacity } from './report';
import { roomsScenario } from './rooms';
import { type BenchOptions, fanout, jitter, sustained } from './scenarios';
import { uploadRatios, uploadsScenario } from './uploads';
import { yearsChecks } from './years/report';
import { yearsScenario } from './years/scenario';
import { seedYears } from './years/seed';

let database: TestDatabase;
let opts: BenchOptions;

beforeAll(async () => {
  database = await createTestDatabase(inject('adminDatabaseUrl'));
  opts = {
    sizes: [10, 30],
    broadcasts: 5,
    broadcastRate: 10,
    sustained: { receivers: 20, senders: 3, ratePerSec: 20, durationS: 2 },
    storm: { receivers: 10, logins: 4, ratePerSec: 10, durationS: 1 },
    jitter: { receivers: 20, ratePerSec: 10, durationS: 4, onlineS: 1, offlineS: 0.4 },
    workers: 2,
    realClients: 2,
    databaseUrl: database.url,
  };
});
afterAll(() => database?.drop());

const quiet = () => {};

describe('benchmark harness (smoke)', () => {
  it.each(['ours', 'ours-web', 'ws', 'socketio'] as const)('fans every broadcast out to every %s subscriber, none lost', async (kind) => {
    const rows = await fanout(kind, opts, quiet);
    expect(rows.map((r) => r.subscribers)).toEqual([10, 30]);
    for (const r of rows) {
      expect(r.connected).toBe(r.subscribers);
      expect(r.accepted).toBe(opts.broadcasts);
      expect(r.delivered).toBe(r.subscribers * opts.broadcasts);
      expect(r.lost).toBe(0);
      expect(r.duplicates).toBe(0);
      // The light tRPC clients and the real @trpc/client ones saw the same messages.
      if (kind === 'ours' || kind === 'ours-web') expect(r.crossCheck).toEqual({ realClients: 2, mismatches: 0 });
    }
  }, 180_000);

  it('stops adding subscribers after the first size past the capacity bound (the capacity scenario)', async () => {
    // A bound of 0 ms: the first size is already past it, so the larger ones are never connected.
    const steps = await fanout('ours-web', { ...opts, sizes: [10, 20, 30], stopAfter: (row) => pastCapacity(row, 0) }, quiet);
    expect(steps.map((r) => r.subscribers)).toEqual([10]);
    expect(capacityOf('ours-web', steps, 0).largestOk).toBeNull();
    expect(steps[0]!.lost).toBe(0);
  }, 180_000);

  it('keeps every message of the sustained scenario against our server (and profiles only that phase)', async () => {
    const cpuProfDir = mkdtempSync(`${tmpdir()}/bench-prof-`);
    const row = await sustained('ours', { ...opts, cpuProfDir }, quiet);
    const [file, ...more] = readdirSync(cpuProfDir);
    expect(file).toBe('ours-sustained-ours.cpuprofile');
    expect(more).toEqual([]);
    const summary = summarize(JSON.parse(readFileSync(`${cpuProfDir}/${file}`, 'utf8')) as CpuProfile);
    // The phase, not the process: about the 2 s of sending and draining, not the start-up before it.
    expect(summary.totalMs).toBeGreaterThan(1000);
    expect(summary.totalMs).toBeLessThan(60_000);
    expect(summary.byPackage.map((p) => p.name)).toContain('ours');
    rmSync(cpuProfDir, { recursive: true });
    expect(row.subscribers).toBe(20);
    expect(row.senders).toBe(3);
    expect(row.sendFailed).toBe(0);
    expect(row.accepted).toBe(40);
    expect(row.lost).toBe(0);
    expect(row.delivered).toBe(40 * 20);
  }, 180_000);

  it('replays what dropped subscribers missed: every message reaches every one of them once', async () => {
    const row = await jitter('ours', opts, quiet);
    expect(row.subscribers).toBe(20);
    expect(row.accepted).toBe(40);
    // Each receiver is dropped about once a second for 4 s: dozens of drops, all back at the end.
    expect(row.drops).toBeGreaterThan(20);
    expect(row.reconnects).toBe(row.drops);
    expect(row.reconnectFailures).toBe(0);
    expect(row.lost).toBe(0);
    expect(row.duplicates).toBe(0);
    expect(row.deliveryRate).toBe(100);
    expect(row.replay.count).toBeGreaterThan(0);
    expect(row.crossCheck).toEqual({ realClients: 2, mismatches: 0 });
  }, 180_000);

  it.each(['ours', 'socketio'] as const)('delivers every room message to every member of the room (%s rooms), none lost', async (kind) => {
    const rooms = { users: 30, rooms: 6, dmShare: 0.34, minMembers: 3, maxMembers: 12, ratePerSec: 20, everyoneRatePerSec: 2, durationS: 2 };
    const rows = await roomsScenario(kind, { rooms, workers: 2, databaseUrl: database.url, repeat: 1 }, quiet);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.connected).toBe(30);
    expect(row.channels).toBe(4);
    expect(row.dms).toBe(2);
    expect(row.sendFailed).toBe(0);
    expect(row.accepted).toBe(44);
    // #everyone's 4 messages reach all 30; each room message its room's members, sender included.
    expect(row.expected).toBeGreaterThan(4 * 30 + 40 * 2);
    expect(row.delivered).toBe(row.expected);
    expect(row.lost).toBe(0);
    expect(row.duplicates).toBe(0);
  }, 180_000);

  it('uploads 4 × 2 MB at once through our tus endpoint and the plain baseline, every byte stored, and compares them', async () => {
    const rows = [];
    for (const kind of ['ours', 'plain-upload'] as const) {
      const row = await uploadsScenario(kind, { uploads: 4, sizeMB: 2, databaseUrl: database.url }, quiet);
      expect(row).toMatchObject({ target: kind, completed: 4, failed: 0, storedBytes: 4 * 2 * 1024 * 1024 });
      expect(row.peak.rssMB).toBeGreaterThanOrEqual(row.idle.rssMB);
      rows.push(row);
    }
    const ratios = uploadRatios(rows)!;
    for (const value of [ratios.throughput, ratios.peakRss, ratios.peakHeap]) expect(value).toBeGreaterThan(0);
  }, 180_000);

  it('seeds years of data with seed:years and measures them through the server (the years scenario, tiny)', async () => {
    const years = await createTestDatabase(inject('adminDatabaseUrl'));
    try {
      const orm = await initORM({ clientUrl: years.url });
      await migrate(orm).finally(() => orm.close());
      const seeded = await seedYears(years.url, { messages: 3000, rooms: 20, users: 40, heavyUsers: 2, heavyRooms: 10, everyoneShare: 0.2, days: 30 }, quiet);
      // A second seed into the same database would break its id order: refused.
      await expect(seedYears(years.url, { messages: 10, rooms: 2, users: 2, heavyUsers: 0, heavyRooms: 0, everyoneShare: 0, days: 1 }, quiet)).rejects.toThrow(/empty/);
      const r = await yearsScenario({ databaseUrl: years.url, samples: 2, resumeBacks: [100, 100_000], log: quiet });
      expect(r.data).toMatchObject({ messages: 3000, events: seeded.events, users: 40, rooms: 21 });
      expect(r.reader.rooms).toBeGreaterThanOrEqual(10);
      expect(r.history.map((h) => h.newest.count)).toEqual([2, 2]);
      // The most common word is in far more than a page of messages the reader may read.
      expect(r.search.find((s) => s.kind === 'common' && s.scope === 'all rooms')?.results).toBe(20);
      // Near: the visible events replayed; far past the replay limit: one resync, then live.
      expect(r.resume[0]).toMatchObject({ eventsBack: 100, resync: false });
      expect(r.resume[0]!.items).toBeGreaterThan(0);
      expect(r.resume[1]).toMatchObject({ eventsBack: 100_000, resync: true, items: 1 });
      expect(r.unread[0]!.rooms).toBe(r.reader.rooms);
      expect(r.sizes.map((s) => s.name)).toContain('messages');
      expect(yearsChecks(r).map((c) => c.target)).toHaveLength(5);
    } finally {
      await years.drop();
    }
  }, 180_000);

  it('drives edits, reactions, sends and read marks and compares every table with its compact self (the bloat run, tiny)', async () => {
    const r = await bloatScenario({ adminUrl: inject('adminDatabaseUrl'), seconds: 3, accounts: 2, rates: { send: 20, edit: 20, react: 20, read: 10 }, sampleSeconds: 1, log: quiet });
    expect(Object.values(r.failed)).toEqual([0, 0, 0, 0]);
    // Every kind of call was made and answered (edits and reactions need a sent message first).
    for (const kind of ['send', 'edit', 'react', 'read'] as const) expect(r.done[kind]).toBeGreaterThan(0);
    expect(r.tables.map((t) => t.table).sort()).toEqual([...BLOAT_TABLES].sort());
    const messages = r.tables.find((t) => t.table === 'messages')!;
    expect(messages.live).toBeGreaterThanOrEqual(r.done.send);
    for (const t of r.tables) expect(t.bloat).toBeGreaterThan(0);
    expect(r.samples.length).toBeGreaterThanOrEqual(3);
    expect(bloatMarkdown(r, 'smoke')).toContain('| messages |');
  }, 180_000);
});
