// Preloaded (`node --import`) into every server under test: answers the harness over IPC with the
// process's memory (after a full GC), CPU time and event-loop delay, so all three are measured alike.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

process.on('message', (msg) => {
  if (!msg || msg.type !== 'probe') return;
  if (msg.gc && typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  const mem = process.memoryUsage();
  const delay = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
  if (msg.resetLoop) loop.reset();
  process.send?.({ type: 'probe', id: msg.id, rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external, arrayBuffers: mem.arrayBuffers, cpu: process.cpuUsage(), loopDelayMs: delay });
});
// The IPC channel must not keep a server alive on its own, nor stop it exiting.
process.channel?.unref();
