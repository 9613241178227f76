// Turns a run into the result file's verdicts, a Markdown table and an SVG chart.
import { type Repeated, withSpread } from './repeat';
import type { RoomsRow } from './rooms';
import type { UploadRatios, UploadRow } from './uploads';
import type { FanoutRow, JitterRow, StormResult, SustainedRow } from './scenarios';
import { ratio } from './stats';
import { yearsMarkdown } from './years/report';
import type { YearsResult } from './years/scenario';
import { TARGET_LABELS, type TargetKind } from './targets';

export interface BenchResult {
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; os: string };
  /** Runs of each scenario per target; the rows below are their medians (with `spread`: min–max). */
  repeat: number;
  fanout: Repeated<FanoutRow>[];
  sustained: Repeated<SustainedRow>[];
  storm: Repeated<StormResult> | null;
  jitter: Repeated<JitterRow>[];
  rooms: Repeated<RoomsRow>[];
  /** Concurrent uploads through our tus endpoint and the plain streaming baseline (absent in results from before 2026-12-06). */
  uploads?: Repeated<UploadRow>[];
  uploadRatios?: UploadRatios | null;
  /** Fan-out at growing sizes until the p99 passes 500 ms (absent in results from before 2026-12-06). */
  capacity?: CapacityRow[];
  /** Years of data against a seeded database (absent in results from before 2026-12-06). */
  years?: YearsResult | null;
  ratios: RatioRow[];
  targets: TargetCheck[];
  /** Every run's own rows, as measured. */
  runs: { fanout: FanoutRow[]; sustained: SustainedRow[]; storm: StormResult[]; jitter: JitterRow[]; rooms: RoomsRow[]; uploads?: UploadRow[] };
  /** Scenarios that failed to run (their figures are missing). */
  errors: string[];
}

/** One client path's ratios to the baselines at one size (lower is better). */
export interface PathRatios {
  p50VsWs: number | null;
  p99VsWs: number | null;
  p50VsSocketIo: number | null;
  p99VsSocketIo: number | null;
  rssPerConnVsWs: number | null;
  heapPerConnVsWs: number | null;
}

/**
 * The top-level ratios are the bots' path (`ours`, chat.onMessage), as results before 2026-12-06
 * hold them; `web` is the path users run (`ours-web`, the web app's chat.onEvent), which the
 * verdicts judge first (issue 26 §4).
 */
export interface RatioRow extends PathRatios {
  subscribers: number;
  /** Heap per connection as the web app opens it (one chat.onEvent), against Socket.IO's. */
  webHeapPerConnVsSocketIo: number | null;
  /** The web app's path (absent in results from before 2026-12-06 or when ours-web was not run). */
  web?: PathRatios;
}

/** How far one instance goes: the largest size whose broadcasts kept p99 under the bound, every step as measured. */
export interface CapacityRow {
  target: TargetKind;
  boundMs: number;
  largestOk: number | null;
  steps: FanoutRow[];
}

/** Past the capacity bound: a p99 over it, a subscriber that did not connect, or a lost message. */
export const pastCapacity = (row: FanoutRow, boundMs: number) => !row.latency || row.latency.p99 >= boundMs || row.connected < row.subscribers || (row.lost ?? 0) > 0;

export function capacityOf(target: TargetKind, steps: FanoutRow[], boundMs: number): CapacityRow {
  let largestOk: number | null = null;
  for (const step of [...steps].sort((a, b) => a.subscribers - b.subscribers)) {
    if (pastCapacity(step, boundMs)) break;
    largestOk = step.subscribers;
  }
  return { target, boundMs, largestOk, steps };
}

/** One server's cost per delivery and per connection at each size, and how much it grew from the smallest (issue 26 §5). */
export interface CostCurve {
  target: TargetKind;
  points: { subscribers: number; cpuUsPerDelivery: number | null; heapPerConnBytes: number; p99: number | null }[];
  /** At the largest size, over the smallest: 1 means the cost per unit of work does not grow. */
  cpuGrowth: number | null;
  heapGrowth: number | null;
}

export function costCurves(rows: FanoutRow[]): CostCurve[] {
  const targets = [...new Set(rows.map((r) => r.target))];
  return targets.flatMap((target) => {
    const points = rows
      .filter((r) => r.target === target)
      .sort((a, b) => a.subscribers - b.subscribers)
      .map((r) => ({ subscribers: r.subscribers, cpuUsPerDelivery: r.cpuUsPerDelivery ?? null, heapPerConnBytes: r.memory.heapPerConnBytes, p99: r.latency?.p99 ?? null }));
    if (points.length < 2) return [];
    const first = points[0]!;
    const last = points[points.length - 1]!;
    const growth = (a: number | null, b: number | null) => (a === null || b === null || b <= 0 ? null : ratio(a, b));
    return [{ target, points, cpuGrowth: growth(last.cpuUsPerDelivery, first.cpuUsPerDelivery), heapGrowth: growth(last.heapPerConnBytes, first.heapPerConnBytes) }];
  });
}

export interface TargetCheck {
  target: string;
  measured: string;
  /** null: not measured in this run. */
  met: boolean | null;
}

const row = (rows: FanoutRow[], kind: TargetKind, size: number) => rows.find((r) => r.target === kind && r.subscribers === size);

export function ratiosOf(rows: FanoutRow[]): RatioRow[] {
  const sizes = [...new Set(rows.map((r) => r.subscribers))].sort((a, b) => a - b);
  const r = (a?: number, b?: number) => (a === undefined || b === undefined ? null : ratio(a, b));
  return sizes.map((size) => {
    const ws = row(rows, 'ws', size);
    const sio = row(rows, 'socketio', size);
    const pathOf = (ours: FanoutRow | undefined): PathRatios => ({
      p50VsWs: r(ours?.latency?.p50, ws?.latency?.p50),
      p99VsWs: r(ours?.latency?.p99, ws?.latency?.p99),
      p50VsSocketIo: r(ours?.latency?.p50, sio?.latency?.p50),
      p99VsSocketIo: r(ours?.latency?.p99, sio?.latency?.p99),
      rssPerConnVsWs: r(ours?.memory.rssPerConnBytes, ws?.memory.rssPerConnBytes),
      heapPerConnVsWs: r(ours?.memory.heapPerConnBytes, ws?.memory.heapPerConnBytes),
    });
    const web = row(rows, 'ours-web', size);
    return {
      subscribers: size,
      ...pathOf(row(rows, 'ours', size)),
      webHeapPerConnVsSocketIo: r(web?.memory.heapPerConnBytes, sio?.memory.heapPerConnBytes),
      ...(web ? { web: pathOf(web) } : {}),
    };
  });
}

/** The client paths the fan-out verdicts judge, the one users run first. */
const PATHS = [
  { kind: 'ours-web', label: 'web app, chat.onEvent', of: (q: RatioRow) => q.web },
  { kind: 'ours', label: 'bots, chat.onMessage', of: (q: RatioRow): PathRatios => q },
] as const;

export interface Measured {
  fanout: FanoutRow[];
  ratios: RatioRow[];
  sustained: SustainedRow[];
  storm: StormResult | null;
  jitter: JitterRow[];
  rooms: RoomsRow[];
}

/** The verdicts of issues 7 and 17, on the medians when the run was repeated. */
export function checkTargets({ fanout, ratios, sustained, storm, jitter, rooms }: Measured): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const web = ratios.filter((r) => r.webHeapPerConnVsSocketIo !== null);
  checks.push(
    web.length
      ? {
          target: "Heap per connection as the web app opens it ≤ Socket.IO's",
          measured: web
            .map((r) => `${r.subscribers}: ${kib(row(fanout, 'ours-web', r.subscribers)!.memory.heapPerConnBytes)} vs ${kib(row(fanout, 'socketio', r.subscribers)!.memory.heapPerConnBytes)} KiB (${r.webHeapPerConnVsSocketIo}×)`)
            .join('; '),
          met: web.every((r) => r.webHeapPerConnVsSocketIo! <= 1),
        }
      : { target: "Heap per connection as the web app opens it ≤ Socket.IO's", measured: 'not measured', met: null },
  );
  for (const path of PATHS) {
    const named = (target: string) => `${target} (${path.label})`;
    const measured = ratios.flatMap((q) => {
      const p = path.of(q);
      return p ? [{ subscribers: q.subscribers, ...p }] : [];
    });
    const at5k = measured.find((r) => r.subscribers === 5000);
    checks.push(
      at5k && at5k.p50VsWs !== null && at5k.p99VsWs !== null
        ? { target: named('Fan-out p50 and p99 within 1.5× raw ws at 5k'), measured: `p50 ${at5k.p50VsWs}×, p99 ${at5k.p99VsWs}×`, met: at5k.p50VsWs <= 1.5 && at5k.p99VsWs <= 1.5 }
        : { target: named('Fan-out p50 and p99 within 1.5× raw ws at 5k'), measured: 'not measured', met: null },
    );
    const vsSio = measured.filter((r) => r.p50VsSocketIo !== null && r.p99VsSocketIo !== null);
    checks.push(
      vsSio.length
        ? {
            target: named('Fan-out p50 and p99 ≤ Socket.IO at every size'),
            measured: vsSio.map((r) => `${r.subscribers}: p50 ${r.p50VsSocketIo}×, p99 ${r.p99VsSocketIo}×`).join('; '),
            met: vsSio.every((r) => r.p50VsSocketIo! <= 1 && r.p99VsSocketIo! <= 1),
          }
        : { target: named('Fan-out p50 and p99 ≤ Socket.IO at every size'), measured: 'not measured', met: null },
    );
    const at10k = row(fanout, path.kind, 10_000);
    checks.push(
      at10k?.latency
        ? {
            target: named('10k subscribers on one instance, broadcast p99 < 500 ms'),
            measured: `${at10k.connected}/10000 subscribed, p99 ${at10k.latency.p99} ms, lost ${at10k.lost}`,
            met: at10k.connected === 10_000 && at10k.latency.p99 < 500 && at10k.lost === 0,
          }
        : { target: named('10k subscribers on one instance, broadcast p99 < 500 ms'), measured: 'not measured', met: null },
    );
    const mem = measured.filter((r) => r.rssPerConnVsWs !== null);
    checks.push(
      mem.length
        ? {
            target: named('Memory per subscribed connection ≤ 2× raw ws (RSS and heap)'),
            measured: mem.map((r) => `${r.subscribers}: RSS ${r.rssPerConnVsWs}×, heap ${r.heapPerConnVsWs}×`).join('; '),
            met: mem.every((r) => r.rssPerConnVsWs! <= 2 && (r.heapPerConnVsWs ?? 0) <= 2),
          }
        : { target: named('Memory per subscribed connection ≤ 2× raw ws (RSS and heap)'), measured: 'not measured', met: null },
    );
  }
  const sOurs = sustained.find((s) => s.target === 'ours');
  checks.push(
    sOurs
      ? { target: 'Sustained: p99 < 100 ms, 0 lost', measured: `p99 ${sOurs.latency.p99} ms, lost ${sOurs.lost}, ${sOurs.sendFailed} sends failed`, met: sOurs.latency.p99 < 100 && sOurs.lost === 0 && sOurs.sendFailed === 0 }
      : { target: 'Sustained: p99 < 100 ms, 0 lost', measured: 'not measured', met: null },
  );
  checks.push(
    storm
      ? { target: 'Login storm adds < 20 ms to chat p99', measured: `+${storm.addedP99Ms} ms (p99 ${storm.calm.latency.p99} → ${storm.storm.latency.p99} ms)`, met: storm.addedP99Ms < 20 && storm.storm.lost === 0 }
      : { target: 'Login storm adds < 20 ms to chat p99', measured: 'not measured', met: null },
  );
  const jOurs = jitter.find((j) => j.target === 'ours');
  checks.push(
    jOurs
      ? {
          target: 'Jitter: 100% delivery, replay p99 < 1 s',
          measured: `${jOurs.deliveryRate}% delivered (lost ${jOurs.lost}) over ${jOurs.drops} drops, replay p99 ${jOurs.replay.p99} ms over ${jOurs.replay.count} replayed deliveries`,
          met: jOurs.lost === 0 && jOurs.reconnectFailures === 0 && jOurs.replay.count > 0 && jOurs.replay.p99 < 1000,
        }
      : { target: 'Jitter: 100% delivery, replay p99 < 1 s', measured: 'not measured', met: null },
  );
  const rOurs = rooms.find((r) => r.target === 'ours');
  const rSio = rooms.find((r) => r.target === 'socketio');
  const roomsTarget = "Rooms: p99 < 100 ms, 0 lost, CPU per 1,000 deliveries ≤ Socket.IO rooms'";
  checks.push(
    rOurs
      ? {
          target: roomsTarget,
          measured: `p99 ${rOurs.latency.p99} ms, lost ${rOurs.lost} of ${rOurs.expected}, ${rOurs.cpuMsPer1000} ms CPU per 1,000 deliveries${rSio ? ` vs ${rSio.cpuMsPer1000} ms` : ' (Socket.IO not measured)'}`,
          met: rOurs.latency.p99 < 100 && rOurs.lost === 0 && rOurs.sendFailed === 0 && (rSio ? rOurs.cpuMsPer1000 <= rSio.cpuMsPer1000 : false),
        }
      : { target: roomsTarget, measured: 'not measured', met: null },
  );
  return checks;
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
/** Keeps the first row of each target and size (the capacity steps may repeat a fan-out size). */
const uniqueSize = () => {
  const seen = new Set<string>();
  return (row: FanoutRow) => {
    const key = `${row.target}:${row.subscribers}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
};
/** A median with its spread over the runs, when the row has one. */
const sp = (row: object, path: string, value: number | string, format?: (n: number) => string) => withSpread(row as { spread?: Record<string, [number, number]> }, path, value, format);
const verdict = (met: boolean | null) => (met === null ? '—' : met ? 'met' : '**missed**');

export function toMarkdown(r: BenchResult): string {
  const lines: string[] = [];
  lines.push(`Run ${r.startedAt} on ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; load generator on the same machine. Command: \`${r.command}\`.`, '');
  if (r.repeat > 1) lines.push(`Each scenario ran ${r.repeat} times per target: figures are medians, (min–max) over the runs where they differ; lost and failed counts are the worst run's. Verdicts judge the medians.`, '');
  if (r.fanout.some((f) => f.latency)) {
    lines.push('#### Fan-out (one sender, every subscriber receives each message)', '');
    lines.push('| subscribers | server | p50 ms | p95 ms | p99 ms | max ms | deliveries/s | server CPU µs per delivery | lost |', '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const f of r.fanout)
      if (f.latency)
        lines.push(
          `| ${f.subscribers} | ${TARGET_LABELS[f.target]} | ${sp(f, 'latency.p50', f.latency.p50)} | ${f.latency.p95} | ${sp(f, 'latency.p99', f.latency.p99)} | ${f.latency.max} | ${f.deliveriesPerSec ?? ''} | ${f.cpuUsPerDelivery === undefined ? '' : sp(f, 'cpuUsPerDelivery', f.cpuUsPerDelivery)} | ${f.lost} |`,
        );
    lines.push('');
  }
  if (r.fanout.length) {
    lines.push('#### Idle memory per subscribed connection (after a full GC)', '');
    lines.push('| subscribers | server | connected | RSS KiB/conn | heap KiB/conn |', '| ---: | --- | ---: | ---: | ---: |');
    for (const f of r.fanout)
      lines.push(
        `| ${f.subscribers} | ${TARGET_LABELS[f.target]} | ${f.connected} | ${sp(f, 'memory.rssPerConnBytes', kib(f.memory.rssPerConnBytes), kib)} | ${sp(f, 'memory.heapPerConnBytes', kib(f.memory.heapPerConnBytes), kib)} |`,
      );
    lines.push('');
    lines.push('#### Ours as a ratio of each baseline, pair by pair (lower is better)', '');
    lines.push(
      '| subscribers | client path | p50 / ws | p99 / ws | p50 / Socket.IO | p99 / Socket.IO | RSS per conn / ws | heap per conn / ws | heap per conn / Socket.IO |',
      '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    const x = (v: number | null) => (v === null ? '—' : `${v}×`);
    for (const q of r.ratios)
      for (const path of PATHS) {
        const p = path.of(q);
        if (p) lines.push(`| ${q.subscribers} | ${path.label} | ${x(p.p50VsWs)} | ${x(p.p99VsWs)} | ${x(p.p50VsSocketIo)} | ${x(p.p99VsSocketIo)} | ${x(p.rssPerConnVsWs)} | ${x(p.heapPerConnVsWs)} | ${path.kind === 'ours-web' ? x(q.webHeapPerConnVsSocketIo) : '—'} |`);
      }
    lines.push('');
  }
  const curves = costCurves([...r.fanout, ...(r.capacity ?? []).flatMap((c) => c.steps)].filter(uniqueSize()));
  if (curves.length) {
    lines.push('#### Cost as work grows (fan-out; × the smallest size)', '');
    lines.push('| server | subscribers | server CPU µs per delivery | heap KiB per connection | p99 ms |', '| --- | ---: | ---: | ---: | ---: |');
    for (const c of curves) {
      const first = c.points[0]!;
      for (const q of c.points) {
        const times = (a: number | null, b: number | null) => (a === null || b === null || b <= 0 ? '' : ` (${ratio(a, b)}×)`);
        lines.push(`| ${TARGET_LABELS[c.target]} | ${q.subscribers} | ${q.cpuUsPerDelivery ?? '—'}${times(q.cpuUsPerDelivery, first.cpuUsPerDelivery)} | ${kib(q.heapPerConnBytes)}${times(q.heapPerConnBytes, first.heapPerConnBytes)} | ${q.p99 ?? '—'} |`);
      }
    }
    lines.push('');
  }
  if (r.capacity?.length) {
    lines.push(`#### Capacity: subscribers one instance holds with broadcast p99 under ${r.capacity[0]!.boundMs} ms`, '');
    lines.push('| server | largest size under the bound | first size past it |', '| --- | ---: | --- |');
    for (const c of r.capacity) {
      const past = c.steps.find((s) => pastCapacity(s, c.boundMs));
      const why = past ? `${past.subscribers}: ${past.connected} connected, p99 ${past.latency?.p99 ?? '—'} ms, lost ${past.lost ?? '—'}` : 'none within the steps run';
      lines.push(`| ${TARGET_LABELS[c.target]} | ${c.largestOk ?? 'none'} | ${why} |`);
    }
    lines.push('');
  }
  if (r.sustained.length) {
    const s0 = r.sustained[0]!;
    lines.push(`#### Sustained chat (${s0.subscribers} subscribers, ${s0.senders} senders, ${s0.ratePerSec} msg/s in total for ${s0.durationS} s)`, '');
    lines.push('| server | p50 ms | p95 ms | p99 ms | max ms | deliveries/s | server CPU | load generator CPU | lost | failed sends |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const s of r.sustained)
      lines.push(
        `| ${TARGET_LABELS[s.target]} | ${sp(s, 'latency.p50', s.latency.p50)} | ${s.latency.p95} | ${sp(s, 'latency.p99', s.latency.p99)} | ${s.latency.max} | ${s.deliveriesPerSec} | ${s.cpuPercent}% | ${s.loadCpuPercent}% | ${s.lost} | ${s.sendFailed} |`,
      );
    lines.push('');
  }
  if (r.storm) {
    const s = r.storm;
    lines.push(`#### Login storm (ours; ${s.subscribers} subscribers, ${s.logins} concurrent logins)`, '');
    lines.push('| phase | chat p50 ms | chat p99 ms | chat max ms | event-loop delay p99 ms | max ms | lost |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, p] of [['calm', s.calm], ['storm', s.storm]] as const)
      lines.push(`| ${name} | ${p.latency.p50} | ${sp(s, `${name}.latency.p99`, p.latency.p99)} | ${p.latency.max} | ${p.loopDelayMs.p99.toFixed(1)} | ${p.loopDelayMs.max.toFixed(1)} | ${p.lost} |`);
    lines.push('', `Logins: ${s.loginsOk}/${s.logins} in ${s.loginSeconds.toFixed(2)} s (${s.loginsPerSec}/s)${s.loginErrors.length ? `; refusals seen: ${[...new Set(s.loginErrors)].join('; ')}` : ''}.`, '');
  }
  if (r.jitter.length) {
    const j0 = r.jitter[0]!;
    lines.push(`#### Jitter (${j0.subscribers} subscribers, each dropped about every ${Math.round((j0.durationS * j0.subscribers) / Math.max(1, j0.drops))} s (measured); ${j0.ratePerSec} msg/s for ${j0.durationS} s)`, '');
    lines.push(
      '| server | drops | delivered | lost | duplicates | replayed deliveries | replay p50 ms | replay p99 ms | replay max ms | live p99 ms |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const j of r.jitter)
      lines.push(
        `| ${TARGET_LABELS[j.target]} | ${j.drops} | ${j.deliveryRate}% | ${j.lost} | ${j.duplicates} | ${j.replay.count} | ${j.replay.p50} | ${sp(j, 'replay.p99', j.replay.p99)} | ${j.replay.max} | ${sp(j, 'latency.p99', j.latency.p99)} |`,
      );
    lines.push('', 'Replay latency: for a message sent while its receiver was away or reconnecting, from the start of the reconnect (or the sending, if later) to its arrival. The baselines have no replay: what a dropped client misses is lost.', '');
  }
  if (r.rooms.length) {
    const o = r.rooms[0]!;
    lines.push(
      `#### Rooms (${o.users} users, ${o.channels} channels of ${o.meanChannelMembers} members on average and ${o.dms} DMs; ${o.ratePerSec} msg/s over the rooms and ${o.everyoneRatePerSec} msg/s in #everyone for ${o.durationS} s)`,
      '',
    );
    lines.push(
      '| server | connected | p50 ms | p95 ms | p99 ms | max ms | deliveries/s | lost | failed sends | server CPU ms per 1,000 deliveries | server CPU | load generator CPU | setup s | connect s |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const q of r.rooms)
      lines.push(
        `| ${q.target === 'ours' ? 'ours (tRPC, chat.onEvent, persisted)' : 'Socket.IO 4 rooms'} | ${q.connected} | ${sp(q, 'latency.p50', q.latency.p50)} | ${q.latency.p95} | ${sp(q, 'latency.p99', q.latency.p99)} | ${q.latency.max} | ${q.deliveriesPerSec} | ${q.lost} of ${q.expected} | ${q.sendFailed} | ${sp(q, 'cpuMsPer1000', q.cpuMsPer1000)} | ${q.cpuPercent}% | ${q.loadCpuPercent}% | ${q.setupSeconds.toFixed(1)} | ${q.connectSeconds.toFixed(1)} |`,
      );
    lines.push('', 'Ours: users signed up, channels made with room.create and room.invite, DMs with room.openDirect, every client on chat.onEvent from chat.eventCursor as the web app; every message is committed to PostgreSQL. Socket.IO: the same membership as socket.io rooms, `io.to(room).emit`, nothing kept. One setup per server; the measured phase is what repeats.', '');
  }
  if (r.uploads?.length) {
    const o = r.uploads[0]!;
    lines.push(`#### Uploads (${o.uploads} at once, ${o.sizeMB} MB each)`, '');
    lines.push('| server | completed | seconds | MB/s | idle RSS MB | peak RSS MB | idle heap MB | peak heap MB |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const u of r.uploads)
      lines.push(
        `| ${TARGET_LABELS[u.target]} | ${u.completed} of ${u.uploads} | ${sp(u, 'seconds', u.seconds)} | ${sp(u, 'throughputMBps', u.throughputMBps)} | ${u.idle.rssMB} | ${sp(u, 'peak.rssMB', u.peak.rssMB)} | ${u.idle.heapMB} | ${sp(u, 'peak.heapMB', u.peak.heapMB)} |`,
      );
    const q = r.uploadRatios;
    const x = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v}×`);
    if (q) lines.push('', `Ours / plain: throughput ${x(q.throughput)} (higher is better), peak RSS ${x(q.peakRss)}, peak heap ${x(q.peakHeap)}; growth over idle: RSS ${x(q.rssGrowth)}, heap ${x(q.heapGrowth)}.`);
    lines.push('', 'Ours: tus creation (token, quota reserved in PostgreSQL) then one PATCH with every byte, streamed to disk storage and typed by content. Plain: a Node `http` server piping each body to a file, nothing checked. Memory sampled every 200 ms without forcing GC.', '');
  }
  if (r.years) lines.push(...yearsMarkdown(r.years));
  if (r.errors.length) lines.push('#### Scenarios that failed to run', '', ...r.errors.map((e) => `- ${e}`), '');
  lines.push('#### Targets', '', '| target | measured | verdict |', '| --- | --- | --- |');
  for (const t of r.targets) lines.push(`| ${t.target} | ${t.measured} | ${verdict(t.met)} |`);
  lines.push('');
  return lines.join('\n');
}

const COLORS: Record<TargetKind, string> = { ours: '#d9480f', 'ours-web': '#9c36b5', ws: '#1971c2', socketio: '#2f9e44', 'plain-upload': '#495057' };
/** The chart's legend has room for short names only. */
const LEGEND: Record<TargetKind, string> = { ours: 'ours, bot client', 'ours-web': 'ours, web app', ws: 'raw ws', socketio: 'Socket.IO 4', 'plain-upload': 'plain upload' };

/** Latency against subscriber count: p50 solid, p99 dashed, one colour per server. */
export function toSvg(rows: FanoutRow[], title: string): string {
  const data = rows.filter((r) => r.latency);
  const W = 720;
  const H = 420;
  const m = { l: 70, r: 170, t: 40, b: 55 };
  const sizes = [...new Set(data.map((r) => r.subscribers))].sort((a, b) => a - b);
  const maxX = Math.max(1, ...sizes);
  const maxY = niceCeil(Math.max(1, ...data.map((r) => r.latency!.p99)));
  const x = (v: number) => m.l + (v / maxX) * (W - m.l - m.r);
  const y = (v: number) => H - m.b - (v / maxY) * (H - m.t - m.b);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${m.l}" y="22" font-size="14" font-weight="600">${escapeXml(title)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const v = (maxY / 5) * i;
    out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y(v)}" y2="${y(v)}" stroke="#e9ecef"/>`);
    out.push(`<text x="${m.l - 8}" y="${y(v) + 4}" text-anchor="end">${Math.round(v * 10) / 10}</text>`);
  }
  for (const s of sizes) {
    out.push(`<line x1="${x(s)}" x2="${x(s)}" y1="${H - m.b}" y2="${H - m.b + 5}" stroke="#495057"/>`);
    out.push(`<text x="${x(s)}" y="${H - m.b + 18}" text-anchor="middle">${s >= 1000 ? `${s / 1000}k` : s}</text>`);
  }
  out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#495057"/>`);
  out.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#495057"/>`);
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle">subscribers</text>`);
  out.push(`<text transform="translate(18 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">delivery latency (ms)</text>`);
  let legendY = m.t + 10;
  for (const kind of ['ours', 'ours-web', 'ws', 'socketio'] as const) {
    const series = data.filter((r) => r.target === kind).sort((a, b) => a.subscribers - b.subscribers);
    if (!series.length) continue;
    for (const [key, dash] of [['p50', ''], ['p99', ' stroke-dasharray="6 4"']] as const) {
      const pts = series.map((r) => `${x(r.subscribers).toFixed(1)},${y(r.latency![key]).toFixed(1)}`).join(' ');
      out.push(`<polyline points="${pts}" fill="none" stroke="${COLORS[kind]}" stroke-width="2"${dash}/>`);
      for (const r of series) out.push(`<circle cx="${x(r.subscribers).toFixed(1)}" cy="${y(r.latency![key]).toFixed(1)}" r="3" fill="${COLORS[kind]}"/>`);
      out.push(`<line x1="${W - m.r + 15}" x2="${W - m.r + 45}" y1="${legendY}" y2="${legendY}" stroke="${COLORS[kind]}" stroke-width="2"${dash}/>`);
      out.push(`<text x="${W - m.r + 52}" y="${legendY + 4}">${escapeXml(LEGEND[kind])} ${key}</text>`);
      legendY += 20;
    }
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const k of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (k * p >= v) return k * p;
  return 10 * p;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
