import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@chat/db/free-port';

/** Debian's nginx (`apt-get install nginx-light`), or undefined where it is not installed. */
export const NGINX_BINARY = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(existsSync);

export interface TestLoadBalancer {
  url: string;
  wsUrl: string;
  stop(): Promise<void>;
}

/**
 * The README's scale-out topology for real: deploy/nginx.conf in front of the given instances. Only the
 * upstream addresses, the listen port and the files nginx writes are rewritten, so what the tests run is
 * what an operator deploys (round-robin over the upstreams).
 */
export async function startLoadBalancer(upstreamPorts: number[]): Promise<TestLoadBalancer> {
  if (!NGINX_BINARY) throw new Error('nginx is missing: apt-get install nginx-light');
  const dir = await mkdtemp(join(tmpdir(), 'chat-lb-'));
  const port = await freePort();
  const template = await readFile(new URL('../../../../deploy/nginx.conf', import.meta.url), 'utf8');
  const upstream = /^(\s*)server app1:8080( [^;]*);\n\s*server app2:8080[^;]*;$/m;
  if (!upstream.test(template)) throw new Error('deploy/nginx.conf: the upstream block is not the two lines this helper rewrites');
  const config = template
    .replace(upstream, (_all, indent: string, options: string) => upstreamPorts.map((p) => `${indent}server 127.0.0.1:${p}${options};`).join('\n'))
    .replace('listen 80;', `listen 127.0.0.1:${port};`)
    .replace('pid /tmp/nginx.pid;', `pid ${dir}/nginx.pid;`)
    .replace('error_log /dev/stderr warn;', `error_log ${dir}/error.log warn;`)
    .replace('worker_processes auto;', 'worker_processes 1;');
  await writeFile(join(dir, 'nginx.conf'), config);
  const nginx: ChildProcess = spawn(NGINX_BINARY, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && (await fetch(`${url}/healthz`).then((r) => r.status, () => 0)) !== 200; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    async stop() {
      nginx.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
