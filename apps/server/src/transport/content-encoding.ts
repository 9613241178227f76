import type { IncomingHttpHeaders } from 'node:http';

/** The encodings the web build writes beside each file (apps/web/vite-plugins/precompress.ts), best first. */
export const PRECOMPRESSED = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

export type Precompressed = (typeof PRECOMPRESSED)[number];

/**
 * The precompressed variants a request accepts, most preferred first (RFC 9110 §12.5.3): the highest
 * q-value wins, br before gzip on a tie, `q=0` refuses, and `*` stands for any encoding not named.
 * An absent or empty header gets the plain file.
 */
export function acceptedEncodings(headers: IncomingHttpHeaders): Precompressed[] {
  const header = headers['accept-encoding'];
  if (!header) return [];
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (encoding: string) => weights.get(encoding) ?? (encoding === 'gzip' ? weights.get('x-gzip') : undefined) ?? weights.get('*') ?? 0;
  return PRECOMPRESSED.filter((v) => weightOf(v.encoding) > 0)
    .map((v, order) => ({ v, order, weight: weightOf(v.encoding) }))
    .sort((a, b) => b.weight - a.weight || a.order - b.order)
    .map(({ v }) => v);
}
