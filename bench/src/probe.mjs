// Preloaded (`node --import`) into every server under test: answers the harness over IPC with the
// process's memory (after a full GC), CPU time and event-loop delay, so all three are measured alike.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

/** `--cpu-prof` profiles only the measured phases: a whole-process profile is mostly set-up (signups, connects). */
let session = null;
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
async function profile(msg) {
  if (msg.action === 'start') {
    session ??= new Session();
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 1000 });
    await post('Profiler.start');
    return {};
  }
  const { profile } = await post('Profiler.stop');
  session.disconnect();
  writeFileSync(msg.path, JSON.stringify(profile));
  return { path: msg.path };
}

process.on('message', (msg) => {
  if (msg?.type === 'profile') {
    profile(msg).then(
      (res) => process.send?.({ type: 'profile', id: msg.id, ...res }),
      (error) => process.send?.({ type: 'profile', id: msg.id, error: String(error) }),
    );
    return;
  }
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
