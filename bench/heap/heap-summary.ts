// Reads a V8 .heapsnapshot and totals its nodes by kind: closures and their contexts by source
// location, objects by constructor, the rest by node type.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

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

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A script's name as people read it: a package's own path inside node_modules, or a path from the repository root. */
function shortName(url: string): string {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const inPackage = path.lastIndexOf('/node_modules/');
  if (inPackage >= 0) return path.slice(inPackage + '/node_modules/'.length);
  return path.startsWith(repoRoot) ? path.slice(repoRoot.length) : path;
}

/** Maps line:col (0-based) of a bundled script back to its source through the `.map` beside it, when there is one. */
function sourceMapper(url: string): ((line: number, col: number) => string | null) | null {
  // Our bundles only: a package's dist is what its users read, and its maps point at sources it does not ship.
  if (!url.startsWith('file://') || !url.includes('/dist/') || url.includes('/node_modules/')) return null;
  const mapFile = `${fileURLToPath(url)}.map`;
  if (!existsSync(mapFile)) return null;
  const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  const dir = mapFile.slice(0, mapFile.lastIndexOf('/') + 1);
  return (line, col) => {
    const entry = map.findEntry(line, col) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (!entry.originalSource) return null;
    const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : new URL(entry.originalSource, `file://${dir}`).pathname;
    return `${shortName(source)}:${entry.originalLine! + 1}:${entry.originalColumn! + 1}`;
  };
}

/** A snapshot's nodes by ordinal, with each node's kind as the summary names it. */
export interface ReadSnapshot {
  count: number;
  /** The V8 object id: stable across snapshots of one process. */
  id(n: number): number;
  size(n: number): number;
  kind(n: number): string;
  /** The non-weak edges of node n, as [first, end) into `targets` (node ordinals). */
  edgesOf(n: number): [number, number];
  targets: Uint32Array;
}

export function readSnapshot(file: string): ReadSnapshot {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const { meta } = snap.snapshot;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const [types] = meta.node_types;
  const [edgeTypes] = meta.edge_types;
  const { nodes, edges, strings } = snap;
  const count = nodes.length / nf;
  const at = (i: number) => nodes[i] ?? 0;
  const edgeCount = new Uint32Array(count + 1);
  for (let n = 0; n < count; n++) edgeCount[n + 1] = edgeCount[n]! + at(n * nf + 4) * ef;
  const child = (n: number, name: string) => {
    for (let k = edgeCount[n]!; k < edgeCount[n + 1]!; k += ef) if (strings[edges[k + 1]!] === name && edgeTypes[edges[k]!] === 'internal') return edges[k + 2]! / nf;
    return -1;
  };
  // Closures by "name@file:line:col": the script of a closure is closure -> shared -> script_or_debug_info,
  // whose node name is the script's URL; our bundles are mapped back to their sources.
  const scripts = new Map<number, { name: string; map: ((line: number, col: number) => string | null) | null }>();
  const where = new Map<number, string>();
  const loc = snap.locations ?? [];
  for (let i = 0; i < loc.length; i += 4) {
    const scriptId = loc[i + 1]!;
    if (!scripts.has(scriptId)) {
      const shared = child(loc[i]! / nf, 'shared');
      const node = shared < 0 ? -1 : child(shared, 'script_or_debug_info');
      const url = node < 0 ? '' : (strings[at(node * nf + 1)] ?? '');
      // Some functions point at debug info instead: another closure of the same script will name it.
      if (url && !url.startsWith('system /')) scripts.set(scriptId, { name: shortName(url), map: sourceMapper(url) });
    }
  }
  for (let i = 0; i < loc.length; i += 4) {
    const script = scripts.get(loc[i + 1]!) ?? { name: `script ${loc[i + 1]}`, map: null };
    const line = loc[i + 2]!;
    const col = loc[i + 3]!;
    where.set(loc[i]!, script.map?.(line, col) ?? `${script.name}:${line + 1}:${col + 1}`);
  }
  const closureName = (i: number) => `${strings[at(i + 1)] || '(anon)'}@${where.get(i) ?? '?'}`;
  const contextOwner = new Map<number, string>();
  for (let n = 0; n < count; n++) {
    const i = n * nf;
    if (types[at(i)] !== 'closure') continue;
    for (let k = edgeCount[n]!; k < edgeCount[n + 1]!; k += ef) {
      if (edgeTypes[edges[k]!] === 'internal' && strings[edges[k + 1]!] === 'context' && !contextOwner.has(edges[k + 2]!)) contextOwner.set(edges[k + 2]!, closureName(i));
    }
  }
  const kind = (n: number) => {
    const i = n * nf;
    const type = types[at(i)] ?? '?';
    const name = strings[at(i + 1)] ?? '';
    return type === 'closure'
      ? `closure ${closureName(i)}`
      : name === 'system / Context'
        ? `context of ${contextOwner.get(i) ?? '?'}`
        : FLAT_TYPES.has(type)
          ? type
          : `${type} ${name.slice(0, 60)}`;
  };
  // Strong edges only, as node ordinals (what keeps an object alive).
  const weak = edgeTypes.indexOf('weak');
  const firstEdge = new Uint32Array(count + 1);
  const targets: number[] = [];
  for (let n = 0; n < count; n++) {
    for (let k = edgeCount[n]!; k < edgeCount[n + 1]!; k += ef) if (edges[k] !== weak) targets.push(edges[k + 2]! / nf);
    firstEdge[n + 1] = targets.length;
  }
  return {
    count,
    id: (n) => at(n * nf + 2),
    size: (n) => at(n * nf + 3),
    kind,
    edgesOf: (n) => [firstEdge[n]!, firstEdge[n + 1]!],
    targets: Uint32Array.from(targets),
  };
}

export function summarise(file: string): HeapSummary {
  return summariseRead(readSnapshot(file));
}

export function summariseRead(snap: ReadSnapshot): HeapSummary {
  const kinds = new Map<string, { count: number; bytes: number }>();
  let totalBytes = 0;
  for (let n = 0; n < snap.count; n++) {
    const bytes = snap.size(n);
    totalBytes += bytes;
    const kind = snap.kind(n);
    const k = kinds.get(kind) ?? { count: 0, bytes: 0 };
    k.count++;
    k.bytes += bytes;
    kinds.set(kind, k);
  }
  return { totalBytes, nodes: snap.count, kinds };
}
