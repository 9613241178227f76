// The uploads scenario (issue 24): N concurrent uploads of S MB each through our tus endpoint
// (/files/uploads: token checked, quota reserved, bytes streamed to disk storage, the type sniffed),
// against a plain `http` server piping each request body to a file. Throughput, and the server's
// peak RSS and heap while the uploads run, sampled through the probe (no forced GC while sampling).
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createAccounts, mutate } from './accounts';
import { startTarget, type Target } from './targets';

export interface UploadOptions {
  uploads: number;
  sizeMB: number;
  databaseUrl?: string;
  cpuProfDir?: string;
}

export interface UploadRow {
  target: 'ours' | 'plain-upload';
  uploads: number;
  sizeMB: number;
  /** Uploads whose every byte the server acknowledged. */
  completed: number;
  failed: number;
  /** Bytes the server said it stored, all uploads together. */
  storedBytes: number;
  seconds: number;
  throughputMBps: number;
  idle: { rssMB: number; heapMB: number };
  peak: { rssMB: number; heapMB: number };
}

export interface UploadRatios {
  throughput: number | null;
  peakRss: number | null;
  peakHeap: number | null;
  /** Peak over idle, ours against the baseline's: what the uploads themselves cost in memory. */
  rssGrowth: number | null;
  heapGrowth: number | null;
}

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/** Streams `size` bytes (one random 64 KiB block repeated: no client holds a file) as the body of one request. */
function streamUpload(url: string, method: string, headers: Record<string, string>, size: number): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const block = randomBytes(CHUNK);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, 'content-length': String(size) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const chunk = block.subarray(0, Math.min(CHUNK, size - sent));
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

/** One upload through our tus endpoint: create, then one PATCH with every byte; the bytes stored, or null. */
async function tusUpload(url: string, token: string, roomId: string, size: number, i: number): Promise<{ bytes: number; location: string } | null> {
  const meta = `filename ${Buffer.from(`bench-${i}.bin`).toString('base64')},roomId ${Buffer.from(roomId).toString('base64')}`;
  const created = await fetch(`${url}/files/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', 'upload-length': String(size), 'upload-metadata': meta },
  });
  const location = created.headers.get('location');
  if (created.status !== 201 || !location) return null;
  const target = new URL(location, url).href;
  const patched = await streamUpload(target, 'PATCH', { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, size);
  return patched.status === 204 && Number(patched.headers['upload-offset']) === size ? { bytes: size, location: target } : null;
}

async function plainUpload(url: string, size: number): Promise<number | null> {
  const res = await streamUpload(`${url}/upload`, 'POST', { 'content-type': 'application/octet-stream' }, size);
  return res.status === 201 ? (JSON.parse(res.body) as { size: number }).size : null;
}

/** Samples the server's memory every `everyMs` until stopped; the peaks. */
function sampleMemory(target: Target, everyMs = 200) {
  const peak = { rss: 0, heap: 0 };
  let running = true;
  const done = (async () => {
    while (running) {
      const p = await target.probe();
      peak.rss = Math.max(peak.rss, p.rss);
      peak.heap = Math.max(peak.heap, p.heapUsed);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      const last = await target.probe();
      return { rss: Math.max(peak.rss, last.rss), heap: Math.max(peak.heap, last.heapUsed) };
    },
  };
}

export async function uploadsScenario(kind: 'ours' | 'plain-upload', opts: UploadOptions, log: (line: string) => void): Promise<UploadRow> {
  const target = await startTarget(kind, { databaseUrl: opts.databaseUrl, cpuProfDir: opts.cpuProfDir, log });
  const size = Math.round(opts.sizeMB * MB);
  try {
    let upload: (i: number) => Promise<number | null>;
    let cleanup = async () => {};
    if (kind === 'ours') {
      const [account] = await createAccounts(target.url, 1);
      const room = await mutate(target.url, 'room.create', { name: `uploads-${randomBytes(3).toString('hex')}`, kind: 'private' }, account!.token);
      const locations: string[] = [];
      upload = async (i) => {
        const done = await tusUpload(target.url, account!.token, room.id, size, i);
        if (done) locations.push(done.location);
        return done?.bytes ?? null;
      };
      // Unsent uploads are taken back (tus DELETE), so the runs leave no files in bench/.data.
      cleanup = async () => {
        for (const location of locations) await fetch(location, { method: 'DELETE', headers: { authorization: `Bearer ${account!.token}`, 'tus-resumable': '1.0.0' } });
      };
    } else {
      upload = () => plainUpload(target.url, size).catch(() => null);
    }
    const idle = await target.probe({ gc: true });
    log(`uploads ${kind}: ${opts.uploads} × ${opts.sizeMB} MB at once`);
    const memory = sampleMemory(target);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: opts.uploads }, (_, i) => upload(i).catch(() => null)));
    const seconds = (performance.now() - started) / 1000;
    const peak = await memory.stop();
    await cleanup();
    const stored = results.reduce<number>((sum, r) => sum + (r ?? 0), 0);
    const completed = results.filter((r) => r === size).length;
    return {
      target: kind,
      uploads: opts.uploads,
      sizeMB: opts.sizeMB,
      completed,
      failed: opts.uploads - completed,
      storedBytes: stored,
      seconds: Math.round(seconds * 100) / 100,
      throughputMBps: Math.round((stored / MB / seconds) * 10) / 10,
      idle: { rssMB: mb(idle.rss), heapMB: mb(idle.heapUsed) },
      peak: { rssMB: mb(peak.rss), heapMB: mb(peak.heap) },
    };
  } finally {
    await target.stop();
  }
}

/** Ours as a ratio of the baseline (throughput: higher is better; memory: lower is better). */
export function uploadRatios(rows: UploadRow[]): UploadRatios | null {
  const ours = rows.find((r) => r.target === 'ours');
  const plain = rows.find((r) => r.target === 'plain-upload');
  if (!ours || !plain) return null;
  const r = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);
  return {
    throughput: r(ours.throughputMBps, plain.throughputMBps),
    peakRss: r(ours.peak.rssMB, plain.peak.rssMB),
    peakHeap: r(ours.peak.heapMB, plain.peak.heapMB),
    rssGrowth: r(ours.peak.rssMB - ours.idle.rssMB, plain.peak.rssMB - plain.idle.rssMB),
    heapGrowth: r(ours.peak.heapMB - ours.idle.heapMB, plain.peak.heapMB - plain.idle.heapMB),
  };
}
