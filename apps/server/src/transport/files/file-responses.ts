import type { ServerResponse } from 'node:http';

/**
 * Every answer under /files/ is a file or a short sentence, never a page of ours: nothing in it may run,
 * and the browser may not guess a type (docs/decisions/137-files-served-and-read.md).
 */
export const FILE_CSP = "default-src 'none'; sandbox";

/** A refusal: a status and one sentence a person can act on (the tus clients show the body). */
export function refuse(res: ServerResponse, status: number, sentence: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': FILE_CSP, ...headers });
  res.end(`${sentence}\n`);
}

/** `filename*` (RFC 8187) for any name, and a plain ASCII `filename` for old clients; no quote, slash or control character survives. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\/%;]/g, '_').slice(0, 150) || 'file';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** One `bytes=a-b` range (or `a-`, `-n`) within `size`; null for none, 'unsatisfiable' for one outside it. Several ranges are served whole. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (size === 0) return 'unsatisfiable';
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (!Number.isSafeInteger(start) || start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
