import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@chat/db/free-port';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long a cluster may take to be whole again (after start, or after a kill and the replica's takeover). */
const HEALTHY_WITHIN_MS = 60_000;

export interface TestRedisCluster {
  nodes: { host: string; port: number }[];
  /** The port of the master serving `key`'s slot (a sharded channel's name is its key). */
  masterOf(key: string): Promise<number>;
  /** SIGKILL one node; its replica (if any) is told to take its slots over at once (`CLUSTER FAILOVER TAKEOVER`). */
  kill(port: number): Promise<void>;
  /** Resolves once every live node reports the cluster ok and a live node (a promoted replica, after a kill) serves `key`. */
  healthy(key?: string): Promise<void>;
  /** Kills every redis-server this cluster started and removes its files. */
  dispose(): Promise<void>;
}

const cli = async (port: number, ...args: string[]) => (await run('redis-cli', ['-p', String(port), ...args], { timeout: 10_000 })).stdout.trim();

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/**
 * A real Redis Cluster of the test's own (Debian's redis-server in cluster mode, joined with
 * `redis-cli --cluster create`): `masters` masters, each with `replicas` replicas. Null (the test
 * skips) without redis-server; an error under CI. The processes are this test's children and die
 * with `dispose`, or with the test process.
 */
export async function startRedisCluster(file: string, opts: { masters?: number; replicas?: number } = {}): Promise<TestRedisCluster | null> {
  if (spawnSync('redis-server', ['--version']).error || spawnSync('redis-cli', ['--version']).error) {
    if (process.env.CI) throw new Error(`${file}: redis-server and redis-cli are needed (the cluster tests start their own)`);
    console.warn(`${file} skipped: redis-server is not installed`);
    return null;
  }
  const masters = opts.masters ?? 3;
  const replicas = opts.replicas ?? 0;
  const dir = await mkdtemp(join(tmpdir(), 'chat-redis-cluster-'));
  const ports: number[] = [];
  for (let i = 0; i < masters * (1 + replicas); i++) ports.push(await freePort());
  const children = new Map<number, ChildProcess>();
  const killAll = () => {
    for (const child of children.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  const cluster: TestRedisCluster = {
    nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
    async masterOf(key) {
      const slot = Number(await cli(live()[0]!, 'cluster', 'keyslot', key));
      for (const line of (await cli(live()[0]!, 'cluster', 'nodes')).split('\n')) {
        const [, address, flags, , , , , state, ...ranges] = line.split(' ');
        if (!flags?.includes('master') || flags.includes('fail') || state !== 'connected') continue;
        const port = Number(address!.split('@')[0]!.split(':')[1]);
        // A node this test killed counts only once the others have noticed: until then the slot has no live master.
        if (!children.has(port)) continue;
        for (const range of ranges) {
          const [from, to] = range.split('-').map(Number);
          if (slot >= from! && slot <= (to ?? from)!) return port;
        }
      }
      throw new Error(`no live master serves slot ${slot}`);
    },
    async kill(port) {
      // Its replica, read before the kill: the node's id and who replicates it.
      const nodes = (await cli(port, 'cluster', 'nodes')).split('\n').map((line) => line.split(' '));
      const id = nodes.find((n) => n[2]?.includes('myself'))?.[0];
      const replica = nodes.find((n) => n[2]?.includes('slave') && n[3] === id);
      children.get(port)?.kill('SIGKILL');
      children.delete(port);
      // The replica takes over at once (as an operator or a supervisor would), instead of waiting for the others to
      // agree the master failed: on a loaded CI machine that agreement did not come within a minute.
      if (replica) await cli(Number(replica[1]!.split('@')[0]!.split(':')[1]), 'cluster', 'failover', 'takeover').catch(() => undefined);
    },
    async healthy(key) {
      // By the clock, not by tries: under a loaded CI machine each redis-cli call takes a while.
      const deadline = Date.now() + HEALTHY_WITHIN_MS;
      for (;;) {
        const states = await Promise.all(live().map((port) => cli(port, 'cluster', 'info').catch(() => '')));
        const ok = states.every((s) => s.includes('cluster_state:ok')) && (key === undefined || (await cluster.masterOf(key).then(() => true, () => false)));
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`${file}: the Redis Cluster did not become healthy within ${HEALTHY_WITHIN_MS / 1000} s`);
        await sleep(100);
      }
    },
    async dispose() {
      killAll();
      process.off('exit', killAll);
      await rm(dir, { recursive: true, force: true });
    },
  };
  const live = () => ports.filter((port) => children.has(port));
  try {
    for (const port of ports) {
      // No persistence: a node is this test's scratch; its nodes.conf lives in the temporary folder.
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`];
      // 3 s, not Redis's 15 s so a failover test is quick, nor 1 s: on a loaded 2-core CI machine a node that
      // answered late was taken for failed, and the cluster kept failing over instead of settling.
      args.push('--cluster-node-timeout', '3000', '--save', '', '--appendonly', 'no', '--dir', dir);
      children.set(port, spawn('redis-server', args, { stdio: 'ignore' }));
    }
    for (const port of ports) {
      for (let i = 0; !(await accepts(port)); i++) {
        if (i === 100) throw new Error(`${file}: redis-server on ${port} did not start within 5 s`);
        await sleep(50);
      }
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 30_000 });
    await cluster.healthy();
    return cluster;
  } catch (error) {
    await cluster.dispose();
    throw error;
  }
}
