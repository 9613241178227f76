// A load-generator process of the rooms scenario: holds a share of the users (one connection
// each), sends the scheduled messages whose sender it holds, and counts what reached each member.
import { nowMs, readStamp, stampText } from '../stamp';
import type { ServerKind } from '../targets';
import { createLoadClient, type LoadClient } from './clients';

export interface RoomsUser {
  token?: string;
  /** Indexes into the scenario's room list: the rooms this user is a member of (#everyone aside). */
  rooms: number[];
}

/** One scheduled message: `room` -1 is #everyone. */
export interface Scheduled {
  seq: number;
  atMs: number;
  room: number;
  /** The sending user's index in this worker's share, or -1 when another worker sends it. */
  sender: number;
}

export type RoomsCommand =
  | { type: 'connect'; kind: ServerKind; url: string; users: RoomsUser[]; cursor: string | null; roomKeys: string[]; everyoneKey: string }
  | { type: 'send'; schedule: Scheduled[]; startAt: number }
  | { type: 'collect'; accepted: number[]; waitMs: number }
  | { type: 'close' };

export type RoomsReport =
  | { type: 'progress'; connected: number }
  | { type: 'connected'; connected: number; failed: number; errors: string[] }
  | { type: 'sent'; accepted: number[]; failed: number; errors: string[] }
  | { type: 'collected'; latencies: Float64Array; delivered: number; expected: number; lost: number; duplicates: number; closed: number; cpuMicros: number }
  | { type: 'closed' };

const report = (r: RoomsReport) => process.send?.(r);

let clients: LoadClient[] = [];
let users: RoomsUser[] = [];
/** Whether each user's connection was ready: one that never was neither sends nor counts as a receiver. */
let ready: boolean[] = [];
let readyCount = 0;
let roomKeys: string[] = [];
let everyoneKey = '';
let closed = 0;
/** Members of each room held here (and of #everyone: every user here). */
let membersHere: number[] = [];
/** The room each seq was sent to, for the expected count. */
const roomOfSeq = new Map<number, number>();
const perSeq = new Map<number, number>();
let latencies = new Float64Array(1 << 16);
let count = 0;
let delivered = 0;
let cpuAtStart = process.cpuUsage();

function onText(text: string) {
  const stamp = readStamp(text);
  if (!stamp) return;
  const latency = nowMs() - stamp.sentAtMs;
  delivered++;
  if (count === latencies.length) {
    const grown = new Float64Array(latencies.length * 2);
    grown.set(latencies);
    latencies = grown;
  }
  latencies[count++] = latency;
  perSeq.set(stamp.seq, (perSeq.get(stamp.seq) ?? 0) + 1);
}

async function connect(cmd: Extract<RoomsCommand, { type: 'connect' }>) {
  users = cmd.users;
  ready = new Array<boolean>(users.length).fill(false);
  roomKeys = cmd.roomKeys;
  everyoneKey = cmd.everyoneKey;
  const errors: string[] = [];
  let failed = 0;
  let lastProgress = 0;
  // A bounded number of handshakes in flight, as in the other scenarios.
  for (let i = 0; i < users.length; i += 100) {
    const batch = users.slice(i, i + 100).map((u, k) => {
      const client = createLoadClient({
        kind: cmd.kind,
        stream: 'onEvent',
        url: cmd.url,
        token: u.token,
        subscribe: true,
        lastEventId: cmd.cursor ?? undefined,
        // Socket.IO: the same membership, joined as socket.io rooms (#everyone is every socket).
        rooms: cmd.kind === 'socketio' ? [everyoneKey, ...u.rooms.map((r) => roomKeys[r]!)] : undefined,
        onText,
        onClose: () => void closed++,
      });
      return client.ready.then(
        () => {
          ready[i + k] = true;
          return client;
        },
        (error: Error) => {
          failed++;
          if (errors.length < 5) errors.push(error.message);
          client.close();
          return client;
        },
      );
    });
    clients.push(...(await Promise.all(batch)));
    if (Date.now() - lastProgress > 500) {
      lastProgress = Date.now();
      report({ type: 'progress', connected: clients.length - failed });
    }
  }
  closed = 0;
  // Expected deliveries: each message's room members whose connection is up.
  membersHere = new Array<number>(roomKeys.length).fill(0);
  users.forEach((u, i) => ready[i] && u.rooms.forEach((r) => membersHere[r]!++));
  readyCount = ready.filter(Boolean).length;
  report({ type: 'connected', connected: readyCount, failed, errors });
}

async function send(cmd: Extract<RoomsCommand, { type: 'send' }>) {
  perSeq.clear();
  roomOfSeq.clear();
  latencies = new Float64Array(1 << 16);
  count = 0;
  delivered = 0;
  cpuAtStart = process.cpuUsage();
  for (const s of cmd.schedule) roomOfSeq.set(s.seq, s.room);
  const accepted: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  const calls: Promise<void>[] = [];
  for (const s of cmd.schedule) {
    // Another worker's sender, or a user whose connection failed (counted in `connected`, not as lost).
    if (s.sender < 0 || !ready[s.sender]) continue;
    // Open loop: sleep until due; a late tick sends what is due at once.
    const wait = cmd.startAt + s.atMs - nowMs();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const room = s.room < 0 ? everyoneKey : roomKeys[s.room];
    calls.push(
      clients[s.sender]!.send(stampText(s.seq, nowMs()), room).then(
        () => void accepted.push(s.seq),
        (error: Error) => {
          failed++;
          if (errors.length < 5) errors.push(error.message);
        },
      ),
    );
  }
  await Promise.all(calls);
  report({ type: 'sent', accepted, failed, errors });
}

async function collect(cmd: Extract<RoomsCommand, { type: 'collect' }>) {
  const expectedOf = (seq: number) => {
    const room = roomOfSeq.get(seq) ?? -1;
    return room < 0 ? readyCount : membersHere[room]!;
  };
  const complete = () => cmd.accepted.every((seq) => (perSeq.get(seq) ?? 0) >= expectedOf(seq));
  const deadline = Date.now() + cmd.waitMs;
  while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  let lost = 0;
  let duplicates = 0;
  let expected = 0;
  for (const seq of cmd.accepted) {
    const want = expectedOf(seq);
    const got = perSeq.get(seq) ?? 0;
    expected += want;
    if (got < want) lost += want - got;
    else duplicates += got - want;
  }
  const cpu = process.cpuUsage(cpuAtStart);
  report({ type: 'collected', latencies: latencies.slice(0, count), delivered, expected, lost, duplicates, closed, cpuMicros: cpu.user + cpu.system });
}

process.on('message', (cmd: RoomsCommand) => {
  const run = async () => {
    if (cmd.type === 'connect') return connect(cmd);
    if (cmd.type === 'send') return send(cmd);
    if (cmd.type === 'collect') return collect(cmd);
    for (const c of clients) c.close();
    clients = [];
    report({ type: 'closed' });
    setTimeout(() => process.exit(0), 100);
  };
  run().catch((error: unknown) => {
    console.error('rooms load worker failed:', error);
    process.exit(1);
  });
});
