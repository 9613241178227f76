import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null = null;

/** A full collection before each sample, so what is measured is what the process holds, not garbage not yet collected. */
function collectGarbage() {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

/**
 * Runs `work` while sampling the process's memory twice a second (a full collection takes up to ~150 ms on a
 * small machine, so the work stays the main thing running); resolves with the largest growth over the start,
 * in bytes: the heap, and buffer memory (arrayBuffers), which is freed with some lag and so is noisier.
 */
export async function sampleHeap(work: () => Promise<void>): Promise<{ heap: number; buffers: number }> {
  collectGarbage();
  const before = process.memoryUsage();
  let heap = 0;
  let buffers = 0;
  const sample = () => {
    collectGarbage();
    const now = process.memoryUsage();
    heap = Math.max(heap, now.heapUsed - before.heapUsed);
    buffers = Math.max(buffers, now.arrayBuffers - before.arrayBuffers);
  };
  const timer = setInterval(sample, 500);
  try {
    await work();
  } finally {
    clearInterval(timer);
    sample();
  }
  return { heap, buffers };
}
