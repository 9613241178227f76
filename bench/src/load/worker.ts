// A load-generator process: holds receivers (and, in worker 0, the senders and the real
// @trpc/client cross-check clients), and reports what arrived when. Driven over IPC by the CLI.
import { eventCursor } from '../accounts';
import { nowMs, readStamp, stampText } from '../stamp';
import { serverOf, streamOf, type TargetKind } from '../targets';
import { createLoadClient, type LoadClient } from './clients';
import { createRealTrpcClient, type RealTrpcClient } from './real-trpc-client';

export type WorkerCommand =
  | { type: 'connect'; kind: TargetKind; url: string; tokens: string[]; receivers: number; senders: number; realClients: number }
  | { type: 'record' }
  | { type: 'send'; count: number; ratePerSec: number; firstSeq: number }
  | { type: 'collect'; accepted: number[]; waitMs: number }
  | { type: 'jitter'; onlineMs: [number, number]; offlineMs: [number, number] }
  | { type: 'steady' }
  | { type: 'close' };

export type WorkerReport =
  | { type: 'progress'; connected: number; target: number }
  | { type: 'connected'; receivers: number; senders: number; realClients: number; failed: number; errors: string[] }
  | { type: 'recording' }
  | { type: 'sent'; accepted: number[]; failed: number; errors: string[] }
  | { type: 'collected'; latencies: Float64Array; replayLatencies: Float64Array; spans: [number, number][]; delivered: number; duplicates: number; lost: number; closed: number; crossCheck: CrossCheck | null; cpuMicros: number }
  | { type: 'jittering' }
  | { type: 'steadied'; drops: number; reconnects: number; reconnectFailures: number; errors: string[] }
  | { type: 'closed' };

export interface CrossCheck {
  realClients: number;
  /** Messages the light clients saw that some real client missed, or the other way round. */
  mismatches: number;
}

const send = (report: WorkerReport) => process.send?.(report);

/** A receiver's place in the run: its client is replaced when the jitter scenario drops it. */
interface Receiver {
  client: LoadClient;
  /** When the current subscription was confirmed (monotonic ms; infinite while reconnecting). */
  readyAt: number;
  /** When the latest reconnection began, if the receiver was ever dropped. */
  reconnectStartedAt: number | null;
  /** Set while the receiver is dropped on purpose, so its close does not count as a failure. */
  dropped: boolean;
}

const receivers: Receiver[] = [];
const senders: LoadClient[] = [];
const realClients: RealTrpcClient[] = [];
let closedReceivers = 0;
/** `cursor`: where chat.onEvent clients start, read once per connect as the web app reads it before subscribing. */
let target: { kind: TargetKind; url: string; tokens: string[]; cursor: string | null } | null = null;

class Samples {
  values = new Float64Array(1 << 16);
  count = 0;
  push(v: number) {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = v;
  }
  taken = () => this.values.slice(0, this.count);
}

// Per run: arrival latencies, and per sequence number how many receivers got it.
let delivered = 0;
/** This process's CPU time when the run began: a saturated load generator caps what can be measured. */
let cpuAtRecord = process.cpuUsage();
/** Send-to-arrival latencies of live deliveries (all of them, unless a receiver was dropped). */
let latencies = new Samples();
/** Deliveries of messages sent before their receiver's current subscription was ready (jitter). */
let replayLatencies = new Samples();
let perSeq = new Map<number, number>();
/** Per sequence number, its slowest delivery: how long the broadcast took to reach everyone. */
let spanBySeq = new Map<number, number>();
const realSeen: Set<number>[] = [];

function onText(text: string, receiver: Receiver) {
  const arrived = nowMs();
  const stamp = readStamp(text);
  if (!stamp) return;
  const latency = arrived - stamp.sentAtMs;
  delivered++;
  // A message sent before this subscription was ready reached it by replay (or by the live stream
  // racing the replay): time it from when it could first have come, the reconnect or its sending.
  if (receiver.reconnectStartedAt !== null && stamp.sentAtMs < receiver.readyAt) replayLatencies.push(arrived - Math.max(stamp.sentAtMs, receiver.reconnectStartedAt));
  else latencies.push(latency);
  perSeq.set(stamp.seq, (perSeq.get(stamp.seq) ?? 0) + 1);
  if (latency > (spanBySeq.get(stamp.seq) ?? 0)) spanBySeq.set(stamp.seq, latency);
}

const tokenFor = (i: number) => target?.tokens[i % Math.max(1, target.tokens.length)];

/** Opens a receiver's client (resuming after `lastEventId` if given); resolves once it is subscribed. */
async function openReceiver(receiver: Receiver, index: number, lastEventId?: string): Promise<void> {
  const client = createLoadClient({
    kind: serverOf(target!.kind),
    stream: streamOf(target!.kind),
    url: target!.url,
    token: tokenFor(index),
    subscribe: true,
    lastEventId: lastEventId ?? target!.cursor ?? undefined,
    onText: (text) => onText(text, receiver),
    onClose: () => {
      if (receiver.client === client && !receiver.dropped) closedReceivers++;
    },
  });
  receiver.client = client;
  try {
    await client.ready;
    receiver.readyAt = nowMs();
  } catch (error) {
    client.close();
    throw error;
  }
}

async function connect(cmd: Extract<WorkerCommand, { type: 'connect' }>) {
  const cursor = streamOf(cmd.kind) === 'onEvent' && cmd.tokens[0] ? await eventCursor(cmd.url, cmd.tokens[0]) : null;
  target = { kind: cmd.kind, url: cmd.url, tokens: cmd.tokens, cursor };
  const errors: string[] = [];
  let failed = 0;
  const noteFailure = (error: unknown) => {
    failed++;
    if (errors.length < 5) errors.push((error as Error).message);
  };
  const openReceiverAt = async (i: number) => {
    const receiver: Receiver = { client: null as unknown as LoadClient, readyAt: 0, reconnectStartedAt: null, dropped: false };
    try {
      await openReceiver(receiver, i);
      return receiver;
    } catch (error) {
      noteFailure(error);
      return null;
    }
  };
  // A bounded number of handshakes in flight: a connect storm is its own scenario.
  const inFlight = 100;
  let lastProgress = 0;
  while (receivers.length < cmd.receivers && failed < 50) {
    const batch = Math.min(inFlight, cmd.receivers - receivers.length);
    const opened = await Promise.all(Array.from({ length: batch }, (_, k) => openReceiverAt(receivers.length + k)));
    for (const r of opened) if (r) receivers.push(r);
    if (Date.now() - lastProgress > 500) {
      lastProgress = Date.now();
      send({ type: 'progress', connected: receivers.length, target: cmd.receivers });
    }
  }
  while (senders.length < cmd.senders && failed < 50) {
    const client = createLoadClient({ kind: serverOf(cmd.kind), url: cmd.url, token: tokenFor(senders.length), subscribe: false });
    try {
      await client.ready;
      senders.push(client);
    } catch (error) {
      noteFailure(error);
      client.close();
    }
  }
  while (realClients.length < cmd.realClients && serverOf(cmd.kind) === 'ours') {
    const seen = new Set<number>();
    realSeen.push(seen);
    try {
      realClients.push(
        await createRealTrpcClient(cmd.url, tokenFor(realClients.length) ?? '', streamOf(cmd.kind), (text) => {
          const stamp = readStamp(text);
          if (stamp) seen.add(stamp.seq);
        }),
      );
    } catch (error) {
      failed++;
      errors.push(`real @trpc/client: ${(error as Error).message}`);
      break;
    }
  }
  send({ type: 'connected', receivers: receivers.length, senders: senders.length, realClients: realClients.length, failed, errors });
}

/**
 * The jitter scenario's churn: every receiver is dropped (its socket cut) after a random online
 * time, stays away for a random offline time, then reconnects resuming from its last event id.
 */
class Churn {
  drops = 0;
  reconnects = 0;
  reconnectFailures = 0;
  errors: string[] = [];
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly reconnecting = new Set<Promise<void>>();
  /** Dropped receivers waiting out their offline time. */
  private readonly away = new Set<number>();

  constructor(private readonly cmd: Extract<WorkerCommand, { type: 'jitter' }>) {
    // Spread the first drops over one online period so they do not come in a wave.
    receivers.forEach((_, i) => this.later(Math.random() * cmd.onlineMs[1], () => this.drop(i)));
  }

  private later(ms: number, fn: () => void) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(timer);
  }

  private between = ([min, max]: [number, number]) => min + Math.random() * (max - min);

  private drop(i: number) {
    const receiver = receivers[i]!;
    receiver.dropped = true;
    receiver.client.close();
    this.drops++;
    this.away.add(i);
    this.later(this.between(this.cmd.offlineMs), () => {
      this.away.delete(i);
      this.track(this.reconnect(i));
    });
  }

  private track(p: Promise<void>) {
    this.reconnecting.add(p);
    void p.finally(() => this.reconnecting.delete(p));
  }

  private async reconnect(i: number): Promise<void> {
    const receiver = receivers[i]!;
    const resumeFrom = receiver.client.lastEventId();
    for (let attempt = 0; ; attempt++) {
      receiver.reconnectStartedAt = nowMs();
      // Until the new subscription is confirmed, whatever arrives is the replay (the backlog can
      // come in the same read as the confirmation, before `ready` resolves).
      receiver.readyAt = Number.POSITIVE_INFINITY;
      try {
        await openReceiver(receiver, i, resumeFrom);
        break;
      } catch (error) {
        this.reconnectFailures++;
        if (this.errors.length < 5) this.errors.push((error as Error).message);
        if (attempt >= 20) return;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    receiver.dropped = false;
    this.reconnects++;
    if (!this.stopped) this.later(this.between(this.cmd.onlineMs), () => this.drop(i));
  }

  /** Stops dropping (and reconnecting). */
  halt() {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Stops dropping; receivers still away reconnect now. Resolves once everyone is back. */
  async steady() {
    this.halt();
    for (const i of this.away) this.track(this.reconnect(i));
    this.away.clear();
    while (this.reconnecting.size) await Promise.all([...this.reconnecting]);
  }
}

let churn: Churn | null = null;

async function sendMessages(cmd: Extract<WorkerCommand, { type: 'send' }>) {
  const accepted: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  const calls: Promise<void>[] = [];
  const start = nowMs();
  const intervalMs = 1000 / cmd.ratePerSec;
  for (let i = 0; i < cmd.count; i++) {
    // Sleep until this message is due; a late tick sends what is due at once (open-loop load).
    const due = start + i * intervalMs;
    const wait = due - nowMs();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const seq = cmd.firstSeq + i;
    const sender = senders[i % senders.length];
    if (!sender) throw new Error('no sender connected');
    calls.push(
      sender.send(stampText(seq, nowMs())).then(
        () => void accepted.push(seq),
        (error: Error) => {
          failed++;
          if (errors.length < 5) errors.push(error.message);
        },
      ),
    );
  }
  await Promise.all(calls);
  send({ type: 'sent', accepted: accepted.sort((a, b) => a - b), failed, errors });
}

const cpuSince = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return d.user + d.system;
};

async function collect(cmd: Extract<WorkerCommand, { type: 'collect' }>) {
  const expectedPerSeq = receivers.length;
  const complete = () => cmd.accepted.every((seq) => (perSeq.get(seq) ?? 0) >= expectedPerSeq) && realSeen.every((s) => cmd.accepted.every((seq) => s.has(seq)));
  const deadline = Date.now() + cmd.waitMs;
  while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  let lost = 0;
  let duplicates = 0;
  for (const seq of cmd.accepted) {
    const got = perSeq.get(seq) ?? 0;
    if (got < expectedPerSeq) lost += expectedPerSeq - got;
    else duplicates += got - expectedPerSeq;
  }
  let crossCheck: CrossCheck | null = null;
  if (realSeen.length > 0) {
    // Every accepted message reached all light receivers (else it counts as lost) and every real client.
    const acceptedSet = new Set(cmd.accepted);
    let mismatches = 0;
    for (const seen of realSeen) {
      for (const seq of cmd.accepted) if (!seen.has(seq)) mismatches++;
      for (const seq of seen) if (!acceptedSet.has(seq)) mismatches++;
    }
    crossCheck = { realClients: realSeen.length, mismatches };
  }
  send({ type: 'collected', latencies: latencies.taken(), replayLatencies: replayLatencies.taken(), spans: [...spanBySeq], delivered, duplicates, lost, closed: closedReceivers, crossCheck, cpuMicros: cpuSince(cpuAtRecord) });
}

process.on('message', (cmd: WorkerCommand) => {
  const run = async () => {
    if (cmd.type === 'connect') return connect(cmd);
    if (cmd.type === 'record') {
      delivered = 0;
      cpuAtRecord = process.cpuUsage();
      latencies = new Samples();
      replayLatencies = new Samples();
      perSeq = new Map();
      spanBySeq = new Map();
      for (const s of realSeen) s.clear();
      return send({ type: 'recording' });
    }
    if (cmd.type === 'send') return sendMessages(cmd);
    if (cmd.type === 'collect') return collect(cmd);
    if (cmd.type === 'jitter') {
      churn = new Churn(cmd);
      return send({ type: 'jittering' });
    }
    if (cmd.type === 'steady') {
      const c = churn;
      churn = null;
      await c?.steady();
      return send({ type: 'steadied', drops: c?.drops ?? 0, reconnects: c?.reconnects ?? 0, reconnectFailures: c?.reconnectFailures ?? 0, errors: c?.errors ?? [] });
    }
    if (cmd.type === 'close') {
      churn?.halt();
      for (const c of [...receivers.map((r) => r.client), ...senders]) c.close();
      await Promise.all(realClients.map((c) => c.close()));
      send({ type: 'closed' });
      setTimeout(() => process.exit(0), 100);
    }
  };
  run().catch((error: unknown) => {
    console.error('load worker failed:', error);
    process.exit(1);
  });
});
