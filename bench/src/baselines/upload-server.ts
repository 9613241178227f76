// The upload baseline: a plain Node `http` server that pipes each POST /upload body to a file on disk,
// with no auth, no protocol, no database and no checks: about the least work a streaming upload needs.
import { createWriteStream } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

const port = Number(process.env.PORT ?? 0);
const dir = mkdtempSync(join(tmpdir(), 'bench-plain-upload-'));
let next = 0;

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/upload') return void res.writeHead(404).end();
  const file = join(dir, String(next++));
  let size = 0;
  req.on('data', (chunk: Buffer) => (size += chunk.length));
  pipeline(req, createWriteStream(file)).then(
    () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ size })),
    () => res.writeHead(500).end(),
  );
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : port });
});
process.on('SIGTERM', () => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
