import { describe, expect, it } from 'vitest';
import { readPageMeta } from './page-meta';

describe('readPageMeta', () => {
  it('prefers Open Graph, then Twitter, then <title> and meta description', () => {
    expect(readPageMeta('<head><title>T</title><meta name="twitter:title" content="TW"><meta name="description" content="D"></head>')).toEqual({ title: 'TW', description: 'D' });
    expect(readPageMeta(`<head><META PROPERTY='og:title' CONTENT='OG'><meta property=og:image content=/a.png><meta property="og:image:width" content="600"><meta property="og:image:height" content="99999"></head>`)).toEqual({
      title: 'OG',
      image: '/a.png',
      imageWidth: 600,
    });
  });

  it('ignores tags inside comments, scripts and the body', () => {
    const html = '<head><!-- <meta property="og:title" content="comment"> --><script>"<meta property=\\"og:title\\" content=\\"script\\">"</script><title>real</title></head><body><meta property="og:description" content="body"></body>';
    expect(readPageMeta(html)).toEqual({ title: 'real' });
  });

  it('decodes entities and collapses whitespace and control characters', () => {
    expect(readPageMeta('<title>\n a &amp; b &#60;c&#x3E; &bogus; \u0007 </title>').title).toBe('a & b <c> &bogus;');
  });

  it('stays linear on hostile input: 500 KB of unclosed tags', () => {
    const started = Date.now();
    readPageMeta('<script'.repeat(70_000));
    readPageMeta('<meta content="'.repeat(35_000));
    readPageMeta('<!--'.repeat(120_000));
    readPageMeta(`<head>${`<meta ${'a'.repeat(4000)}>`.repeat(120)}`);
    readPageMeta(`<head>${`<meta content=${'"'.repeat(4000)}>`.repeat(120)}`);
    readPageMeta(`<a ${'<a '.repeat(150_000)}>`);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
