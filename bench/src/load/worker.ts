// A load-generator process: holds receivers (and, in worker 0, the senders and the real
// @trpc/client cross-check clients), and reports what arrived when. Driven over IPC by the CLI.
import type { TargetKind } from '../targets';
import { nowMs, readStamp, stampText } from '../stamp';
import { createLoadClient, type LoadClient } from './clients';
import { createRealTrpcClient, type RealTrpcClient } from './real-trpc-client';

export type WorkerCommand =
  | { type: 'connect'; kind: TargetKind; url: string; tokens: string[]; receivers: number; senders: number; realClients: number }
  | { type: 'record' }
  | { type: 'send'; count: number; ratePerSec: number; firstSeq: number }
  | { type: 'collect'; accepted: number[]; waitMs: number }
  | { type: 'close' };

export type WorkerReport =
  | { type: 'progress'; connected: number; target: number }
  | { type: 'connected'; receivers: number; senders: number; realClients: number; failed: number; errors: string[] }
  | { type: 'recording' }
  | { type: 'sent'; accepted: number[]; failed: number; errors: string[] }
  | { type: 'collected'; latencies: Float64Array; spans: [number, number][]; delivered: number; duplicates: number; lost: number; closed: number; crossCheck: CrossCheck | null }
  | { type: 'closed' };

export interface CrossCheck {
  realClients: number;
  /** Messages the light clients saw that some real client missed, or the other way round. */
  mismatches: number;
}

const send = (report: WorkerReport) => process.send?.(report);

const receivers: LoadClient[] = [];
const senders: LoadClient[] = [];
const realClients: RealTrpcClient[] = [];
let closedReceivers = 0;

// Per run: arrival latencies, and per sequence number how many receivers got it.
let latencies = new Float64Array(1 << 16);
let latencyCount = 0;
let perSeq = new Map<number, number>();
/** Per sequence number, its slowest delivery: how long the broadcast took to reach everyone. */
let spanBySeq = new Map<number, number>();
const realSeen: Set<number>[] = [];

function onText(text: string) {
  const arrived = nowMs();
  const stamp = readStamp(text);
  if (!stamp) return;
  if (latencyCount === latencies.length) {
    const grown = new Float64Array(latencies.length * 2);
    grown.set(latencies);
    latencies = grown;
  }
  const latency = arrived - stamp.sentAtMs;
  latencies[latencyCount++] = latency;
  perSeq.set(stamp.seq, (perSeq.get(stamp.seq) ?? 0) + 1);
  if (latency > (spanBySeq.get(stamp.seq) ?? 0)) spanBySeq.set(stamp.seq, latency);
}

async function connect(cmd: Extract<WorkerCommand, { type: 'connect' }>) {
  const errors: string[] = [];
  let failed = 0;
  const tokenFor = (i: number) => cmd.tokens[i % Math.max(1, cmd.tokens.length)];
  const open = async (subscribe: boolean, i: number) => {
    const client = createLoadClient({
      kind: cmd.kind,
      url: cmd.url,
      token: tokenFor(i),
      subscribe,
      onText: subscribe ? onText : undefined,
      onClose: subscribe ? () => closedReceivers++ : undefined,
    });
    try {
      await client.ready;
      return client;
    } catch (error) {
      failed++;
      if (errors.length < 5) errors.push((error as Error).message);
      client.close();
      return null;
    }
  };
  // A bounded number of handshakes in flight: a connect storm is its own scenario.
  const inFlight = 100;
  let lastProgress = 0;
  while (receivers.length < cmd.receivers && failed < 50) {
    const batch = Math.min(inFlight, cmd.receivers - receivers.length);
    const opened = await Promise.all(Array.from({ length: batch }, (_, k) => open(true, receivers.length + k)));
    for (const c of opened) if (c) receivers.push(c);
    if (Date.now() - lastProgress > 500) {
      lastProgress = Date.now();
      send({ type: 'progress', connected: receivers.length, target: cmd.receivers });
    }
  }
  while (senders.length < cmd.senders && failed < 50) {
    const c = await open(false, senders.length);
    if (c) senders.push(c);
  }
  while (realClients.length < cmd.realClients && cmd.kind === 'ours') {
    const seen = new Set<number>();
    realSeen.push(seen);
    try {
      realClients.push(
        await createRealTrpcClient(cmd.url, tokenFor(realClients.length) ?? '', (text) => {
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
  send({ type: 'collected', latencies: latencies.slice(0, latencyCount), spans: [...spanBySeq], delivered: latencyCount, duplicates, lost, closed: closedReceivers, crossCheck });
}

process.on('message', (cmd: WorkerCommand) => {
  const run = async () => {
    if (cmd.type === 'connect') return connect(cmd);
    if (cmd.type === 'record') {
      latencyCount = 0;
      perSeq = new Map();
      spanBySeq = new Map();
      for (const s of realSeen) s.clear();
      return send({ type: 'recording' });
    }
    if (cmd.type === 'send') return sendMessages(cmd);
    if (cmd.type === 'collect') return collect(cmd);
    if (cmd.type === 'close') {
      for (const c of [...receivers, ...senders]) c.close();
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
