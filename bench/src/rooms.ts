// The rooms scenario (issue 17): many users in many rooms, a steady chat spread over the rooms and
// a slow one in #everyone to all. Ours: every room made through room.create/invite/openDirect,
// every message persisted, every client on chat.onEvent as the web app. Socket.IO: the same
// membership as socket.io rooms, `io.to(room).emit`, nothing kept.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EVERYONE_ROOM_ID } from '@chat/db';
import { type Account, createAccounts, eventCursor, mutate } from './accounts';
import type { RoomsCommand, RoomsReport, RoomsUser, Scheduled } from './load/rooms-worker';
import { nowMs } from './stamp';
import { type Percentiles, percentiles } from './stats';
import { type ServerKind, startTarget } from './targets';

export interface RoomsOptions {
  users: number;
  rooms: number;
  /** Share of the rooms that are direct messages (two members); the rest are channels. */
  dmShare: number;
  minMembers: number;
  maxMembers: number;
  /** Messages per second over all rooms but #everyone. */
  ratePerSec: number;
  /** Messages per second in #everyone, to every user. */
  everyoneRatePerSec: number;
  durationS: number;
}

export interface RoomsRow {
  target: ServerKind;
  users: number;
  connected: number;
  channels: number;
  dms: number;
  /** Mean members of a channel. */
  meanChannelMembers: number;
  ratePerSec: number;
  everyoneRatePerSec: number;
  durationS: number;
  setupSeconds: number;
  connectSeconds: number;
  latency: Percentiles;
  accepted: number;
  sendFailed: number;
  sendErrors: string[];
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  closed: number;
  deliveriesPerSec: number;
  /** Server CPU time per 1,000 deliveries, in ms. */
  cpuMsPer1000: number;
  /** Server CPU over the measured phase, in % of one core. */
  cpuPercent: number;
  /** The share of that CPU spent in the kernel (system time): mostly socket writes, ours to clients and to PostgreSQL. */
  cpuSystemShare?: number;
  loadCpuPercent: number;
}

type Log = (line: string) => void;

/** A small seeded generator: every target gets the same rooms, members and schedule. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export interface RoomsPlan {
  /** Members of each room by user index; DMs have two, the first member creates (or opens) the room. */
  rooms: { kind: 'channel' | 'dm'; members: number[] }[];
  schedule: { seq: number; atMs: number; room: number; sender: number }[];
}

/**
 * Channel sizes are log-uniform between min and max (many small rooms, a few large ones, as chats
 * have); members and senders are drawn uniformly. Messages are spread evenly over the rooms.
 */
export function planRooms(o: RoomsOptions, seed = 17): RoomsPlan {
  const rnd = random(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const dms = Math.round(o.rooms * o.dmShare);
  const rooms: RoomsPlan['rooms'] = [];
  const maxMembers = Math.min(o.maxMembers, o.users);
  const minMembers = Math.min(o.minMembers, maxMembers);
  for (let i = 0; i < o.rooms - dms; i++) {
    const size = Math.round(Math.exp(Math.log(minMembers) + rnd() * (Math.log(maxMembers) - Math.log(minMembers))));
    const members = new Set<number>();
    while (members.size < size) members.add(pick(o.users));
    rooms.push({ kind: 'channel', members: [...members] });
  }
  const pairs = new Set<string>();
  while (rooms.length < o.rooms) {
    const a = pick(o.users);
    const b = pick(o.users);
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    if (a === b || pairs.has(key)) continue;
    pairs.add(key);
    rooms.push({ kind: 'dm', members: [a, b] });
  }
  const schedule: RoomsPlan['schedule'] = [];
  const roomMessages = Math.round(o.ratePerSec * o.durationS);
  for (let i = 0; i < roomMessages; i++) {
    const room = pick(rooms.length);
    const members = rooms[room]!.members;
    schedule.push({ seq: 0, atMs: (i * 1000) / o.ratePerSec, room, sender: members[pick(members.length)]! });
  }
  const everyone = Math.round(o.everyoneRatePerSec * o.durationS);
  for (let i = 0; i < everyone; i++) schedule.push({ seq: 0, atMs: (i * 1000) / o.everyoneRatePerSec + 0.5, room: -1, sender: pick(o.users) });
  schedule.sort((a, b) => a.atMs - b.atMs);
  schedule.forEach((s, i) => (s.seq = i + 1));
  return { rooms, schedule };
}

/** Runs `fn` on at most `limit` items at once. */
async function inParallel<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** Our rooms, through the public API: a channel's first member creates it and invites the rest; a DM is opened. */
async function createOurRooms(url: string, plan: RoomsPlan, accounts: Account[], log: Log): Promise<string[]> {
  const ids = new Array<string>(plan.rooms.length);
  const every = (n: number, label: string) => {
    let done = 0;
    let lastLog = Date.now();
    return () => {
      if (++done === n || Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        log(`rooms ours: ${done}/${n} ${label}`);
      }
    };
  };
  const made = every(plan.rooms.length, 'rooms made');
  await inParallel(plan.rooms, 8, async (room, i) => {
    const [first, second] = room.members.map((m) => accounts[m]!);
    ids[i] =
      room.kind === 'dm'
        ? (await mutate(url, 'room.openDirect', { userId: second!.id }, first!.token)).id
        : (await mutate(url, 'room.create', { name: `bench-${i}-${first!.username.slice(-8)}`, kind: 'channel' }, first!.token)).id;
    made();
  });
  // Invitations in any order, a few in flight: at 10k users they are tens of thousands of calls.
  const invites = plan.rooms.flatMap((room, i) => (room.kind === 'dm' ? [] : room.members.slice(1).map((m) => ({ room: i, by: accounts[room.members[0]!]!, user: accounts[m]! }))));
  const invited = every(invites.length, 'invitations');
  await inParallel(invites, 16, async ({ room, by, user }) => {
    await mutate(url, 'room.invite', { roomId: ids[room]!, userId: user.id }, by.token);
    invited();
  });
  return ids;
}

const workerScript = fileURLToPath(new URL('load/rooms-worker.ts', import.meta.url));
const benchDir = fileURLToPath(new URL('../', import.meta.url));

function ask<T extends RoomsReport['type']>(worker: ChildProcess, cmd: RoomsCommand, reply: T, onOther?: (r: RoomsReport) => void): Promise<Extract<RoomsReport, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`rooms load worker exited (code ${code})`));
    const onMessage = (r: RoomsReport) => {
      if (r.type !== reply) return onOther?.(r);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      resolve(r as Extract<RoomsReport, { type: T }>);
    };
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    worker.send(cmd);
  });
}

export interface RoomsRunOptions {
  rooms: RoomsOptions;
  workers: number;
  databaseUrl?: string;
  cpuProfDir?: string;
  /** Measured phases in one setup (users, rooms and connections are made once: at 10k users that is most of the time). */
  repeat: number;
}

/** One setup against `kind`, then `repeat` measured phases; one row per phase. */
export async function roomsScenario(kind: 'ours' | 'socketio', opts: RoomsRunOptions, log: Log): Promise<RoomsRow[]> {
  const o = opts.rooms;
  const plan = planRooms(o);
  const label = `rooms ${kind}`;
  log(`${kind}: starting the server`);
  const target = await startTarget(kind, { databaseUrl: opts.databaseUrl, cpuProfDir: opts.cpuProfDir, log });
  const workers = Array.from({ length: Math.max(1, opts.workers) }, () =>
    fork(workerScript, [], { execArgv: ['--import', 'tsx'], cwd: benchDir, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  try {
    const setupStarted = Date.now();
    let roomKeys: string[];
    let tokens: (string | undefined)[] = [];
    let cursor: string | null = null;
    if (kind === 'ours') {
      log(`${label}: ${o.users} signups`);
      let lastLog = Date.now();
      const accounts = await createAccounts(target.url, o.users, (made) => {
        if (Date.now() - lastLog < 5000) return;
        lastLog = Date.now();
        log(`${label}: ${made}/${o.users} signed up`);
      });
      roomKeys = await createOurRooms(target.url, plan, accounts, log);
      tokens = accounts.map((a) => a.token);
      // As the web app: the cursor first, then (its snapshot, then) chat.onEvent from it.
      cursor = await eventCursor(target.url, tokens[0]!);
    } else roomKeys = plan.rooms.map((_, i) => `room-${i}`);
    const setupSeconds = (Date.now() - setupStarted) / 1000;

    // Users spread over the workers round-robin; each holds one connection per user.
    const userRooms: number[][] = Array.from({ length: o.users }, () => []);
    plan.rooms.forEach((r, i) => r.members.forEach((m) => userRooms[m]!.push(i)));
    const workerOf = (user: number) => user % workers.length;
    const localIndex = (user: number) => Math.floor(user / workers.length);
    const connectStarted = Date.now();
    const progress = new Array<number>(workers.length).fill(0);
    let lastLog = 0;
    const connected = await Promise.all(
      workers.map((w, wi) => {
        const users: RoomsUser[] = [];
        for (let u = wi; u < o.users; u += workers.length) users.push({ token: tokens[u], rooms: userRooms[u]! });
        const everyoneKey = kind === 'ours' ? EVERYONE_ROOM_ID : 'everyone';
        return ask(w, { type: 'connect', kind, url: target.url, users, cursor, roomKeys, everyoneKey }, 'connected', (r) => {
          if (r.type !== 'progress') return;
          progress[wi] = r.connected;
          if (Date.now() - lastLog < 2000) return;
          lastLog = Date.now();
          log(`${label}: connected ${progress.reduce((a, b) => a + b, 0)}/${o.users}`);
        });
      }),
    );
    const connectSeconds = (Date.now() - connectStarted) / 1000;
    const connectedCount = connected.reduce((a, c) => a + c.connected, 0);
    const failures = connected.flatMap((c) => c.errors);
    if (failures.length) log(`${label}: ${connected.reduce((a, c) => a + c.failed, 0)} connections failed: ${failures.join('; ')}`);
    log(`${label}: ${connectedCount} users connected in ${connectSeconds.toFixed(1)} s (setup ${setupSeconds.toFixed(1)} s)`);
    // Let the presence of everyone coming online settle before measuring.
    await new Promise((r) => setTimeout(r, 2000));

    const channels = plan.rooms.filter((r) => r.kind === 'channel');
    const rows: RoomsRow[] = [];
    for (let run = 0; run < Math.max(1, opts.repeat); run++) {
      // Seqs differ per phase so a late delivery of an earlier phase is never counted again.
      const offset = run * plan.schedule.length;
      const scheduleFor = (wi: number): Scheduled[] =>
        plan.schedule.map((s) => ({ seq: s.seq + offset, atMs: s.atMs, room: s.room, sender: workerOf(s.sender) === wi ? localIndex(s.sender) : -1 }));
      log(`${label}${opts.repeat > 1 ? ` run ${run + 1}/${opts.repeat}` : ''}: ${o.ratePerSec} msg/s over ${plan.rooms.length} rooms and ${o.everyoneRatePerSec} msg/s in #everyone for ${o.durationS} s`);
      const profiled = await target.profile(`rooms-run${run + 1}`);
      const before = await target.probe();
      const t0 = Date.now();
      const startAt = nowMs() + 500;
      const sent = await Promise.all(workers.map((w, wi) => ask(w, { type: 'send', schedule: scheduleFor(wi), startAt }, 'sent')));
      const accepted = sent.flatMap((s) => s.accepted);
      const collected = await Promise.all(workers.map((w) => ask(w, { type: 'collect', accepted, waitMs: 30_000 }, 'collected')));
      const after = await target.probe();
      await profiled();
      const wallMs = Date.now() - t0;
      const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
      const systemMs = (after.cpu.system - before.cpu.system) / 1000;
      const latencies = new Float64Array(collected.reduce((a, c) => a + c.latencies.length, 0));
      let at = 0;
      for (const c of collected) {
        latencies.set(c.latencies, at);
        at += c.latencies.length;
      }
      const delivered = collected.reduce((a, c) => a + c.delivered, 0);
      const row: RoomsRow = {
        target: kind,
        users: o.users,
        connected: connectedCount,
        channels: channels.length,
        dms: plan.rooms.length - channels.length,
        meanChannelMembers: Math.round((channels.reduce((a, r) => a + r.members.length, 0) / Math.max(1, channels.length)) * 10) / 10,
        ratePerSec: o.ratePerSec,
        everyoneRatePerSec: o.everyoneRatePerSec,
        durationS: o.durationS,
        setupSeconds,
        connectSeconds,
        latency: percentiles(latencies),
        accepted: accepted.length,
        sendFailed: sent.reduce((a, s) => a + s.failed, 0),
        sendErrors: sent.flatMap((s) => s.errors).slice(0, 5),
        expected: collected.reduce((a, c) => a + c.expected, 0),
        delivered,
        lost: collected.reduce((a, c) => a + c.lost, 0),
        duplicates: collected.reduce((a, c) => a + c.duplicates, 0),
        closed: collected.reduce((a, c) => a + c.closed, 0),
        deliveriesPerSec: Math.round(delivered / (o.durationS || 1)),
        cpuMsPer1000: delivered > 0 ? Math.round((cpuMs / delivered) * 1000 * 100) / 100 : 0,
        cpuPercent: Math.round((cpuMs / wallMs) * 100),
        cpuSystemShare: cpuMs > 0 ? Math.round((systemMs / cpuMs) * 100) / 100 : 0,
        loadCpuPercent: Math.round(Math.max(...collected.map((c) => c.cpuMicros)) / 10 / wallMs),
      };
      if (row.sendErrors.length) log(`${label}: ${row.sendFailed} sends failed: ${row.sendErrors.join('; ')}`);
      log(`${label}: p50 ${row.latency.p50} ms, p99 ${row.latency.p99} ms, lost ${row.lost} of ${row.expected}, ${row.cpuMsPer1000} ms CPU per 1,000 deliveries (${Math.round((row.cpuSystemShare ?? 0) * 100)}% system), ${row.accepted} sends`);
      rows.push(row);
    }
    return rows;
  } finally {
    await Promise.all(workers.map((w) => (w.exitCode === null ? Promise.race([ask(w, { type: 'close' }, 'closed'), new Promise((r) => setTimeout(r, 5_000))]).finally(() => w.kill()) : undefined)));
    await target.stop();
  }
}
