// Who holds the objects a run added: each object new in `after` (its id absent from `before`) goes to
// the nearest owner that says whose it is (a closure's file, a known constructor), found by walking
// strong references down from every such owner at once. Objects reachable from none are "unowned".
import type { ReadSnapshot } from './heap-summary';

export const OWNERS = ['node net', 'ws', 'tRPC adapter', 'ours', 'unowned'] as const;
export type Owner = (typeof OWNERS)[number];

const BY_CONSTRUCTOR: Record<string, Owner> = {
  'synthetic Node / TCPSocketWrap': 'node net',
  'object Socket': 'node net',
  'object TCP': 'node net',
  'object WritableState': 'node net',
  'object ReadableState': 'node net',
  'object WebSocket': 'ws',
  'object Receiver': 'ws',
  'object Sender': 'ws',
  'object Unpromise': 'tRPC adapter',
  'object ChatSocket': 'ours',
  'object SocketGate': 'ours',
  'object SocketPushLane': 'ours',
  'object EveryoneMessages': 'ours',
  'object EventView': 'ours',
  'object BroadcastWriter': 'ours',
  'object EventItemWriter': 'ours',
  'object HandOffStream': 'ours',
  'object TrackedItems': 'ours',
  'object TrackedById': 'ours',
  'object BufferedSubscription': 'ours',
};

/** The owner a kind names by itself, if any. */
function ownerOfKind(kind: string): Owner | null {
  const byConstructor = BY_CONSTRUCTOR[kind];
  if (byConstructor) return byConstructor;
  const at = kind.startsWith('closure ') || kind.startsWith('context of ') ? kind.indexOf('@') : -1;
  if (at < 0) return null;
  const file = kind.slice(at + 1);
  if (file.startsWith('@trpc/server/')) return 'tRPC adapter';
  if (file.startsWith('ws/')) return 'ws';
  if (file.startsWith('apps/') || file.startsWith('packages/')) return 'ours';
  if (file.startsWith('node:')) return 'node net';
  return null;
}

export interface OwnerRow {
  owner: Owner;
  bytes: number;
  nodes: number;
  kinds: Map<string, { count: number; bytes: number }>;
}

export function attribute(beforeIds: Set<number>, after: ReadSnapshot): OwnerRow[] {
  const owner = new Int8Array(after.count).fill(-1);
  const isNew = new Uint8Array(after.count);
  let queue: number[] = [];
  for (let n = 0; n < after.count; n++) {
    if (beforeIds.has(after.id(n))) continue;
    isNew[n] = 1;
    const o = ownerOfKind(after.kind(n));
    if (o) {
      owner[n] = OWNERS.indexOf(o);
      queue.push(n);
    }
  }
  // Breadth first from every owner at once: an object goes to the owner nearest to it.
  while (queue.length) {
    const next: number[] = [];
    for (const n of queue) {
      const [first, end] = after.edgesOf(n);
      for (let k = first; k < end; k++) {
        const to = after.targets[k]!;
        if (isNew[to] && owner[to] === -1) {
          owner[to] = owner[n]!;
          next.push(to);
        }
      }
    }
    queue = next;
  }
  const rows = OWNERS.map((o) => ({ owner: o, bytes: 0, nodes: 0, kinds: new Map<string, { count: number; bytes: number }>() }));
  for (let n = 0; n < after.count; n++) {
    if (!isNew[n]) continue;
    const row = rows[owner[n] === -1 ? OWNERS.indexOf('unowned') : owner[n]!]!;
    const kind = after.kind(n);
    row.bytes += after.size(n);
    row.nodes++;
    const k = row.kinds.get(kind) ?? { count: 0, bytes: 0 };
    k.count++;
    k.bytes += after.size(n);
    row.kinds.set(kind, k);
  }
  return rows;
}
