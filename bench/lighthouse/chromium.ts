// Debian's Chromium for Lighthouse: one fresh profile per audit, so no run finds another's cache.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@chat/db/free-port';
import WebSocket from 'ws';

export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

// Headless, and kept off the (closed) internet: no background fetches, updates or sync.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--no-default-browser-check', '--disable-quic'];

export interface Chromium {
  port: number;
  /** Writes `localStorage[key]` for `origin`, from a page of that origin that loads none of the app. */
  setLocalStorage(pageUrl: string, key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  const port = await freePort();
  const profile = mkdtempSync(join(tmpdir(), 'chat-lighthouse-'));
  // Its own process group: Debian's /usr/bin/chromium is a shell script that may not exec the browser,
  // so closing signals the whole group, not just the script.
  const child: ChildProcess = spawn(CHROME_PATH, [...FLAGS, `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, 'about:blank'], { stdio: 'ignore', detached: true });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${CHROME_PATH} exited with code ${child.exitCode}`);
    if (await fetch(`${endpoint}/json/version`).then((r) => r.ok, () => false)) break;
    if (i > 300) throw new Error(`${CHROME_PATH} did not open its debugging port`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    async setLocalStorage(pageUrl, key, value) {
      const target = (await (await fetch(`${endpoint}/json/new?${pageUrl}`, { method: 'PUT' })).json()) as { id: string; webSocketDebuggerUrl: string };
      const ws = new WebSocket(target.webSocketDebuggerUrl);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      let id = 0;
      const evaluate = (expression: string) =>
        new Promise<unknown>((resolve, reject) => {
          const callId = ++id;
          const onMessage = (data: WebSocket.RawData) => {
            const reply = JSON.parse(String(data)) as { id?: number; result?: { result?: { value?: unknown } }; error?: { message: string } };
            if (reply.id !== callId) return;
            ws.off('message', onMessage);
            if (reply.error) reject(new Error(reply.error.message));
            else resolve(reply.result?.result?.value);
          };
          ws.on('message', onMessage);
          ws.send(JSON.stringify({ id: callId, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }));
        });
      try {
        // Until the page has navigated there is no context to evaluate in: that error means "not yet".
        const loaded = () => evaluate(`location.href === ${JSON.stringify(pageUrl)} && document.readyState === 'complete'`).catch(() => false);
        for (let i = 0; (await loaded()) !== true; i++) {
          if (i > 300) throw new Error(`${pageUrl} did not load`);
          await new Promise((r) => setTimeout(r, 100));
        }
        await evaluate(`localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(value)})`);
      } finally {
        ws.close();
        await fetch(`${endpoint}/json/close/${target.id}`);
      }
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
        await exited;
      }
      // Chromium's helper processes may still be writing to the profile after it exits: a profile
      // left in the temporary folder is not worth failing a run for.
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
      } catch {
        console.error(`[lighthouse] could not remove ${profile}`);
      }
    },
  };
}
