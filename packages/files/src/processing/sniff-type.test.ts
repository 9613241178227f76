import { describe, expect, it } from 'vitest';
import { sniffType, SNIFF_BYTES } from './sniff-type';

const text = (value: string) => new TextEncoder().encode(value);

describe('sniffType', () => {
  it.each([
    ['an SVG after an XML declaration and a comment', '<?xml version="1.0"?>\n<!-- Generator: an editor -->\n<svg xmlns="http://www.w3.org/2000/svg"/>', 'image/svg+xml'],
    ['an SVG that starts with a comment', '<!-- drawn by hand --><svg><script>alert(1)</script></svg>', 'image/svg+xml'],
    ['an SVG doctype', '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg/>', 'image/svg+xml'],
    ['an SVG after a byte-order mark and blank lines', '\uFEFF\n\n  <SVG onload="alert(1)"></SVG>', 'image/svg+xml'],
    ['an HTML doctype in capitals', '<!DOCTYPE HTML><title>x</title>', 'text/html'],
    ['a bare <p>, which a sniffing browser would render', '<p>hello', 'text/html'],
    ['a comment, then a page', '<!-- note --> <html><body>x</body></html>', 'text/html'],
    ['plain words with a script tag further down', 'Dear reader,\n\nthanks.\n<script src="//evil.example/x.js"></script>', 'text/html'],
    ['XML that is not SVG', '<?xml version="1.0"?><feed><entry/></feed>', 'application/xml'],
    ['a note that mentions <svg in its words only', 'how to draw: use an <svg element', 'image/svg+xml'],
    ['plain UTF-8 text', 'Grüße, 你好, 👋\n', 'text/plain'],
    ['a tag-like word that is not a sniffed tag', '<pre-formatted> notes', 'text/plain'],
  ])('types %s', async (_name, input, type) => {
    expect(await sniffType(text(input))).toBe(type);
  });

  it('keeps text text when the sniffed bytes end inside a multi-byte character', async () => {
    const bytes = text('é'.repeat(SNIFF_BYTES)).subarray(0, SNIFF_BYTES - 1);
    expect(bytes.length).toBe(SNIFF_BYTES - 1);
    expect(await sniffType(text('é'.repeat(SNIFF_BYTES)).subarray(0, SNIFF_BYTES))).toBe('text/plain');
    // Cut short of SNIFF_BYTES, the file itself ends there: a broken character is not UTF-8 text.
    expect(await sniffType(bytes)).toBe('application/octet-stream');
  });

  it('calls bytes with NUL or invalid UTF-8 unknown', async () => {
    expect(await sniffType(new Uint8Array([0x68, 0x69, 0x00, 0x21]))).toBe('application/octet-stream');
    expect(await sniffType(new Uint8Array([0xc3, 0x28, 0x41]))).toBe('application/octet-stream');
  });

  it('lets a binary signature win over text that follows it', async () => {
    expect(await sniffType(text('%PDF-1.7\n<html><script>alert(1)</script>'))).toBe('application/pdf');
  });

  it('ends quickly on a head of 64 KiB of an unclosed comment', async () => {
    const began = performance.now();
    expect(await sniffType(text(`<!-- ${'<!--x'.repeat(SNIFF_BYTES / 5 - 1)}`))).toBe('text/html');
    expect(performance.now() - began).toBeLessThan(500);
  });
});
