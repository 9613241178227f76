import { fileTypeFromBuffer } from 'file-type';

/** How many bytes of a file are read to decide its type (file-type's signatures and our text checks fit in them). */
export const SNIFF_BYTES = 64 * 1024;

export const OCTET_STREAM = 'application/octet-stream';

/**
 * The type of a file from its first bytes, never from its name or a client's header: file-type's binary
 * signatures first, then the text formats a browser could run (HTML, SVG, XML), then plain text.
 */
export async function sniffType(head: Uint8Array): Promise<string> {
  const binary = await fileTypeFromBuffer(head).catch(() => undefined);
  if (binary && binary.mime !== 'application/xml') return binary.mime;
  return sniffText(head) ?? binary?.mime ?? OCTET_STREAM;
}

// The WHATWG MIME sniffing standard's HTML signatures: a browser that sniffs would run these as a page.
const HTML_TAGS = ['!doctype html', 'html', 'head', 'script', 'iframe', 'h1', 'div', 'font', 'table', 'a', 'style', 'title', 'b', 'body', 'br', 'p', '!--'];

function sniffText(head: Uint8Array): string | undefined {
  if (head.includes(0)) return undefined;
  // Streaming decode: a character cut by the end of the sniffed bytes is held back, not called an error.
  const text = decodeUtf8(head, head.length === SNIFF_BYTES);
  if (text === undefined) return undefined;
  const start = text.replace(/^\uFEFF/, '').trimStart().toLowerCase();
  // What follows an XML declaration and comments names the document: `<svg` or an SVG doctype is an SVG.
  const root = start.replace(/^(<\?xml[^>]*>|<!--[\s\S]*?-->|\s)*/, '');
  if (root.startsWith('<svg') || root.startsWith('<!doctype svg')) return 'image/svg+xml';
  if (startsWithHtmlTag(start) || startsWithHtmlTag(root) || /<script[\s>/]/.test(start)) return 'text/html';
  if (/<svg[\s>/]/.test(start)) return 'image/svg+xml';
  if (start.startsWith('<?xml')) return 'application/xml';
  return 'text/plain';
}

function startsWithHtmlTag(text: string): boolean {
  return HTML_TAGS.some((tag) => {
    if (!text.startsWith(`<${tag}`)) return false;
    const next = text.charAt(tag.length + 1);
    return next === ' ' || next === '>' || next === '\t' || next === '\n' || next === '\r' || next === '\f' || next === '/';
  });
}

function decodeUtf8(bytes: Uint8Array, cut: boolean): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cut });
  } catch {
    return undefined;
  }
}
