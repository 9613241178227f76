// The CLI's handle on its load-generator processes: receivers spread over them, senders and the
// real @trpc/client cross-check in worker 0.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TargetKind } from '../targets';
import type { CrossCheck, WorkerCommand, WorkerReport } from './worker';

const workerScript = fileURLToPath(new URL('worker.ts', import.meta.url));
const benchDir = fileURLToPath(new URL('../../', import.meta.url));

export interface RunResult {
  accepted: number;
  sendFailed: number;
  sendErrors: string[];
  /** Send-to-arrival latencies of live deliveries (every delivery, unless receivers were dropped). */
  latencies: Float64Array;
  /** Deliveries of messages sent before their receiver's current subscription was ready, timed from its reconnect. */
  replayLatencies: Float64Array;
  /** Per broadcast, the time until its last receiver had it (ms). */
  spans: number[];
  delivered: number;
  lost: number;
  duplicates: number;
  closed: number;
  crossCheck: CrossCheck | null;
  /** Wall time from the first send to the last report (ms). */
  wallMs: number;
  /** The busiest load generator's CPU over the run, in % of one core. */
  loadCpuPercent: number;
}

type ReportOf<T extends WorkerReport['type']> = Extract<WorkerReport, { type: T }>;

export class LoadPool {
  private seq = 1;
  private constructor(private readonly workers: ChildProcess[]) {}

  static async start(count: number): Promise<LoadPool> {
    const workers = Array.from({ length: Math.max(1, count) }, () =>
      fork(workerScript, [], { execArgv: ['--import', 'tsx'], cwd: benchDir, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
    return new LoadPool(workers);
  }

  private ask<T extends WorkerReport['type']>(worker: ChildProcess, cmd: WorkerCommand, reply: T, onOther?: (r: WorkerReport) => void): Promise<ReportOf<T>> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load worker exited (code ${code})`));
      const onMessage = (r: WorkerReport) => {
        if (r.type !== reply) return onOther?.(r);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        resolve(r as ReportOf<T>);
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.send(cmd);
    });
  }

  /** Grows the receivers to `receivers` in all (kept between calls), plus senders and real clients. */
  async connect(opts: { kind: TargetKind; url: string; tokens: string[]; receivers: number; senders: number; realClients: number; onProgress?: (connected: number) => void }) {
    const progress = new Array<number>(this.workers.length).fill(0);
    const replies = await Promise.all(
      this.workers.map((w, i) => {
        const share = Math.floor(opts.receivers / this.workers.length) + (i < opts.receivers % this.workers.length ? 1 : 0);
        const cmd: WorkerCommand = { type: 'connect', kind: opts.kind, url: opts.url, tokens: opts.tokens, receivers: share, senders: i === 0 ? opts.senders : 0, realClients: i === 0 ? opts.realClients : 0 };
        return this.ask(w, cmd, 'connected', (r) => {
          if (r.type !== 'progress') return;
          progress[i] = r.connected;
          opts.onProgress?.(progress.reduce((a, b) => a + b, 0));
        });
      }),
    );
    return {
      receivers: replies.reduce((a, r) => a + r.receivers, 0),
      senders: replies.reduce((a, r) => a + r.senders, 0),
      realClients: replies.reduce((a, r) => a + r.realClients, 0),
      failed: replies.reduce((a, r) => a + r.failed, 0),
      errors: replies.flatMap((r) => r.errors),
    };
  }

  /** Sends `count` stamped messages at `ratePerSec` from worker 0's senders and gathers every arrival. */
  async run(opts: { count: number; ratePerSec: number; drainMs: number; during?: () => Promise<void>; beforeCollect?: () => Promise<void> }): Promise<RunResult> {
    await Promise.all(this.workers.map((w) => this.ask(w, { type: 'record' }, 'recording')));
    const firstSeq = this.seq;
    this.seq += opts.count;
    const started = Date.now();
    const [sent] = await Promise.all([this.ask(this.workers[0]!, { type: 'send', count: opts.count, ratePerSec: opts.ratePerSec, firstSeq }, 'sent'), opts.during?.()]);
    await opts.beforeCollect?.();
    const collected = await Promise.all(this.workers.map((w) => this.ask(w, { type: 'collect', accepted: sent.accepted, waitMs: opts.drainMs }, 'collected')));
    const total = collected.reduce((a, c) => a + c.latencies.length, 0);
    const latencies = new Float64Array(total);
    const replayLatencies = new Float64Array(collected.reduce((a, c) => a + c.replayLatencies.length, 0));
    let offset = 0;
    let replayOffset = 0;
    const spanBySeq = new Map<number, number>();
    for (const c of collected) {
      latencies.set(c.latencies, offset);
      offset += c.latencies.length;
      replayLatencies.set(c.replayLatencies, replayOffset);
      replayOffset += c.replayLatencies.length;
      for (const [seq, span] of c.spans) spanBySeq.set(seq, Math.max(span, spanBySeq.get(seq) ?? 0));
    }
    return {
      accepted: sent.accepted.length,
      sendFailed: sent.failed,
      sendErrors: sent.errors,
      latencies,
      replayLatencies,
      spans: [...spanBySeq.values()],
      delivered: collected.reduce((a, c) => a + c.delivered, 0),
      lost: collected.reduce((a, c) => a + c.lost, 0),
      duplicates: collected.reduce((a, c) => a + c.duplicates, 0),
      closed: collected.reduce((a, c) => a + c.closed, 0),
      crossCheck: collected.find((c) => c.crossCheck)?.crossCheck ?? null,
      wallMs: Date.now() - started,
      loadCpuPercent: Math.round(Math.max(...collected.map((c) => c.cpuMicros)) / 10 / Math.max(1, Date.now() - started)),
    };
  }

  /** Starts dropping and reconnecting every receiver (the jitter scenario). */
  async jitter(onlineMs: [number, number], offlineMs: [number, number]) {
    await Promise.all(this.workers.map((w) => this.ask(w, { type: 'jitter', onlineMs, offlineMs }, 'jittering')));
  }

  /** Stops the jitter and waits until every receiver is subscribed again. */
  async steady() {
    const replies = await Promise.all(this.workers.map((w) => this.ask(w, { type: 'steady' }, 'steadied')));
    return {
      drops: replies.reduce((a, r) => a + r.drops, 0),
      reconnects: replies.reduce((a, r) => a + r.reconnects, 0),
      reconnectFailures: replies.reduce((a, r) => a + r.reconnectFailures, 0),
      errors: replies.flatMap((r) => r.errors).slice(0, 5),
    };
  }

  async close() {
    await Promise.all(
      this.workers.map((w) =>
        w.exitCode === null
          ? Promise.race([this.ask(w, { type: 'close' }, 'closed'), new Promise((r) => setTimeout(r, 5_000))]).finally(() => w.kill())
          : undefined,
      ),
    );
  }
}
