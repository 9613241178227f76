// Reads a V8 .heapsnapshot and totals its nodes by kind: closures and their contexts by source
// location, objects by constructor, the rest by node type.
import { readFileSync } from 'node:fs';

export interface HeapSummary {
  totalBytes: number;
  nodes: number;
  kinds: Map<string, { count: number; bytes: number }>;
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
  locations?: number[];
}

const FLAT_TYPES = new Set(['string', 'concatenated string', 'sliced string', 'number', 'code', 'bigint']);

export function summarise(file: string): HeapSummary {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const { meta } = snap.snapshot;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const [types] = meta.node_types;
  const [edgeTypes] = meta.edge_types;
  const { nodes, edges, strings } = snap;
  const count = nodes.length / nf;
  const at = (i: number) => nodes[i] ?? 0;
  // Closures by "name@script:line:col" (script ids are per process: compare runs by name and line).
  const where = new Map<number, string>();
  const loc = snap.locations ?? [];
  for (let i = 0; i < loc.length; i += 4) where.set(loc[i]!, `${loc[i + 1]}:${loc[i + 2]! + 1}:${loc[i + 3]! + 1}`);
  const closureName = (i: number) => `${strings[at(i + 1)] || '(anon)'}@${where.get(i) ?? '?'}`;
  const contextOwner = new Map<number, string>();
  for (let n = 0, e = 0; n < count; n++) {
    const i = n * nf;
    const end = e + at(i + 4) * ef;
    if (types[at(i)] === 'closure') {
      for (let k = e; k < end; k += ef) {
        if (edgeTypes[edges[k]!] === 'internal' && strings[edges[k + 1]!] === 'context' && !contextOwner.has(edges[k + 2]!)) contextOwner.set(edges[k + 2]!, closureName(i));
      }
    }
    e = end;
  }
  const kinds = new Map<string, { count: number; bytes: number }>();
  let totalBytes = 0;
  for (let n = 0; n < count; n++) {
    const i = n * nf;
    const type = types[at(i)] ?? '?';
    const name = strings[at(i + 1)] ?? '';
    const bytes = at(i + 3);
    totalBytes += bytes;
    const kind =
      type === 'closure'
        ? `closure ${closureName(i)}`
        : name === 'system / Context'
          ? `context of ${contextOwner.get(i) ?? '?'}`
          : FLAT_TYPES.has(type)
            ? type
            : `${type} ${name.slice(0, 60)}`;
    const k = kinds.get(kind) ?? { count: 0, bytes: 0 };
    k.count++;
    k.bytes += bytes;
    kinds.set(kind, k);
  }
  return { totalBytes, nodes: count, kinds };
}
