import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSite, page, PNG_HEAD, PUBLIC_IP, startSite, testNetwork } from './fake-internet.test-helpers';
import { createLinkPreviewer, type LinkPreviewOptions, PREVIEW_USER_AGENT } from './link-previewer';
import { checkUrl, DEFAULT_NETWORK, resolveChecked } from './safe-fetch';

// The SSRF guard and the limits against real sockets: the "public" site is on 127.0.0.2, which only
// this test's network allows; the "private" service on 127.0.0.1 must never see a request.

let site: FakeSite;
let intranet: FakeSite;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Requests to /slowish/ being answered right now, and the most at once. */
const slowish = { now: 0, most: 0 };

const OG = page(
  `<meta property="og:title" content="Rust &amp; Chips"><meta property="og:description" content="A  story\nabout&#x20;chips">
   <meta property="og:site_name" content="News"><meta property="og:image" content="/img.png"><title>ignored</title>`,
);

beforeAll(async () => {
  intranet = await startSite('127.0.0.1', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page('<title>secret admin</title>')));
  site = await startSite(PUBLIC_IP, (req, res) => {
    const html = (body: string, headers: Record<string, string> = {}) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
    const url = req.url ?? '/';
    if (url === '/og' || url.startsWith('/og?')) return html(OG);
    if (url === '/ua') return html(page(`<title>${req.headers['user-agent'] === PREVIEW_USER_AGENT && !req.headers.cookie ? 'plain' : 'odd'}</title>`));
    if (url === '/title-only') return html(page('<title> Just a &lt;title&gt; </title>'));
    if (url === '/img.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(PNG_HEAD);
    if (url === '/fake-img') return res.writeHead(200, { 'content-type': 'image/png' }).end('<html>not an image</html>');
    if (url === '/private-img') return html(page(`<title>t</title><meta property="og:image" content="http://127.0.0.1:${intranet.port}/x.png">`));
    if (url === '/html-img') return html(page('<title>t</title><meta property="og:image" content="/og">'));
    if (url === '/to-private') return res.writeHead(302, { location: `http://127.0.0.1:${intranet.port}/admin` }).end();
    if (url === '/to-intranet-name') return res.writeHead(301, { location: `http://intranet.test:${intranet.port}/admin` }).end();
    if (url.startsWith('/hop/')) {
      const n = Number(url.slice(5));
      return n === 0 ? html(page('<title>landed</title>')) : res.writeHead(302, { location: `/hop/${n - 1}` }).end();
    }
    if (url === '/declared-huge') return res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(10 * 1024 * 1024) }).end();
    if (url === '/endless') {
      // 16 MiB of head before the title (more than loopback socket buffers hold): the fetch must stop at its limit.
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><head>');
      const chunk = `<meta name="x" content="${'a'.repeat(16 * 1024)}">`;
      let sent = 0;
      const pump = () => {
        while (sent < 1024) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('<title>too late</title></head></html>');
      };
      return pump();
    }
    if (url === '/slow') return void setTimeout(() => html(page('<title>slow</title>')), 3_000);
    if (url === '/json') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"title":"x"}');
    if (url === '/gzip') return res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end('xx');
    if (url.startsWith('/slowish/')) {
      slowish.most = Math.max(slowish.most, ++slowish.now);
      return void setTimeout(() => (slowish.now--, html(page('<title>ok</title>'))), 300);
    }
    res.writeHead(404).end();
  });
});
afterAll(async () => {
  await site?.close();
  await intranet?.close();
});

const names = () => ({ 'news.test': [PUBLIC_IP], 'intranet.test': ['127.0.0.1'], 'split.test': [PUBLIC_IP, '10.0.0.7'] });
const make = (extra: Partial<LinkPreviewOptions> = {}) =>
  createLinkPreviewer({ network: testNetwork(names(), [site.port, intranet.port]), allowHttpImages: true, timeoutMs: 1_500, ...extra });
const at = (path: string) => `http://news.test:${site.port}${path}`;

describe('link previews: the card', () => {
  it('reads Open Graph tags, decodes entities, resolves and checks the image (its size from its own header)', async () => {
    const previewer = make();
    const outcome = await previewer.preview(at('/og'));
    expect(outcome.card).toEqual({
      url: at('/og'),
      title: 'Rust & Chips',
      description: 'A story about chips',
      siteName: 'News',
      image: { url: at('/img.png'), width: 1200, height: 630 },
    });
    await previewer.close();
  });

  it('falls back to <title>, sends a plain user agent and no cookies', async () => {
    const previewer = make();
    expect((await previewer.preview(at('/title-only'))).card).toEqual({ url: at('/title-only'), title: 'Just a <title>' });
    expect((await previewer.preview(at('/ua'))).card?.title).toBe('plain');
    await previewer.close();
  });

  it('drops an image that is not an image by its bytes, an HTML page as image, or one on a private address', async () => {
    const previewer = make();
    expect((await previewer.preview(at('/private-img'))).card).toEqual({ url: at('/private-img'), title: 't' });
    expect((await previewer.preview(at('/html-img'))).card).toEqual({ url: at('/html-img'), title: 't' });
    expect(intranet.hits).toEqual([]);
    await previewer.close();
  });

  it('keeps only https images in production', async () => {
    const previewer = make({ allowHttpImages: false });
    expect((await previewer.preview(at('/og'))).card?.image).toBeUndefined();
    await previewer.close();
  });

  it('reuses a recent result for the same URL instead of fetching again', async () => {
    const previewer = make();
    const before = site.hits.filter((h) => h === '/title-only').length;
    await Promise.all([previewer.preview(at('/title-only')), previewer.preview(at('/title-only'))]);
    await previewer.preview(at('/title-only'));
    expect(site.hits.filter((h) => h === '/title-only').length - before).toBe(1);
    await previewer.close();
  });

  it('hands on the image’s bytes with the card (to be stored: decision 141), and caches no more image bytes than its bound', async () => {
    // The bound holds one image's bytes and not two: the older card is dropped, the newer kept.
    const previewer = make({ cacheImageBytes: PNG_HEAD.length + 1 });
    const first = await previewer.preview(at('/og'));
    expect(first.card && first.image).toEqual(PNG_HEAD);
    const hits = () => site.hits.filter((h) => h === '/og' || h.startsWith('/og?')).length;
    const before = hits();
    await previewer.preview(`${at('/og')}?again`);
    await previewer.preview(`${at('/og')}?again`);
    expect(hits()).toBe(before + 1);
    await previewer.preview(at('/og'));
    expect(hits()).toBe(before + 2);
    await previewer.close();
  });
});

describe('link previews: SSRF refusals (nothing reaches the private service)', () => {
  const refused = async (url: string, reason: string, extra: Partial<LinkPreviewOptions> = {}) => {
    const previewer = make(extra);
    const outcome = await previewer.preview(url);
    await previewer.close();
    expect(outcome).toEqual({ card: null, reason });
  };

  it('refuses loopback, metadata, IPv6 loopback and IPv4-mapped loopback literals', async () => {
    await refused(`http://127.0.0.1:${intranet.port}/`, 'private-address');
    await refused('http://127.0.0.1/', 'private-address');
    await refused('http://169.254.169.254/latest/meta-data/', 'private-address');
    await refused('http://[::1]/', 'private-address');
    await refused(`http://[::ffff:127.0.0.1]:${intranet.port}/`, 'private-address');
    await refused('http://2130706433/', 'private-address'); // 127.0.0.1 as one number
    await refused('http://[fd00:ec2::254]/', 'private-address');
    await refused('http://100.100.100.200/', 'private-address'); // CGNAT (a cloud's metadata)
    expect(intranet.hits).toEqual([]);
  });

  it('refuses a name resolving to a private address, or to a public and a private one', async () => {
    await refused(`http://intranet.test:${intranet.port}/`, 'private-address');
    await refused(`http://split.test:${site.port}/og`, 'private-address');
    expect(intranet.hits).toEqual([]);
  });

  it('re-checks every redirect: a public page redirecting to a private address or name is refused', async () => {
    await refused(at('/to-private'), 'private-address');
    await refused(at('/to-intranet-name'), 'private-address');
    expect(intranet.hits).toEqual([]);
  });

  it('follows at most 3 redirects', async () => {
    const previewer = make();
    expect((await previewer.preview(at('/hop/3'))).card?.title).toBe('landed');
    expect(await previewer.preview(at('/hop/4'))).toEqual({ card: null, reason: 'too-many-redirects' });
    await previewer.close();
  });

  it('refuses ports other than 80 and 443, credentials and other schemes before any connection', () => {
    expect(() => checkUrl('http://news.test:8080/', DEFAULT_NETWORK)).toThrow(expect.objectContaining({ reason: 'port' }));
    expect(() => checkUrl('https://news.test:22/', DEFAULT_NETWORK)).toThrow(expect.objectContaining({ reason: 'port' }));
    expect(() => checkUrl('http://user:pw@news.test/', DEFAULT_NETWORK)).toThrow(expect.objectContaining({ reason: 'bad-url' }));
    expect(() => checkUrl('file:///etc/passwd', DEFAULT_NETWORK)).toThrow(expect.objectContaining({ reason: 'bad-url' }));
    expect(checkUrl('https://news.test/', DEFAULT_NETWORK).hostname).toBe('news.test');
  });

  it('with the system resolver, refuses localhost (from /etc/hosts: no DNS needed)', async () => {
    await expect(resolveChecked('localhost', DEFAULT_NETWORK, new AbortController().signal)).rejects.toMatchObject({ reason: 'private-address' });
  });

  it('refuses a port the network does not allow even when a site listens there', async () => {
    const previewer = createLinkPreviewer({ network: testNetwork(names(), []) });
    expect(await previewer.preview(at('/og'))).toEqual({ card: null, reason: 'port' });
    await previewer.close();
  });

  it('resolves each host once and connects to that address (no second lookup to rebind)', async () => {
    const calls: string[] = [];
    let answers = 0;
    const network = testNetwork(names(), [site.port], calls);
    // A rebinding resolver: public the first time, private after.
    const rebinding = { ...network, resolve: async (host: string) => (calls.push(host), answers++ === 0 ? [PUBLIC_IP] : ['127.0.0.1']) };
    const previewer = createLinkPreviewer({ network: rebinding });
    expect((await previewer.preview(`http://rebind.test:${site.port}/title-only`)).card?.title).toBe('Just a <title>');
    expect(calls).toEqual(['rebind.test']);
    expect(intranet.hits).toEqual([]);
    await previewer.close();
  });
});

describe('link previews: limits', () => {
  it('refuses a page that declares more than the size limit, before reading it', async () => {
    const previewer = make();
    expect(await previewer.preview(at('/declared-huge'))).toEqual({ card: null, reason: 'too-large' });
    await previewer.close();
  });

  it('stops reading a long page at 512 KiB (the title after it is never seen)', async () => {
    const previewer = make();
    expect(await previewer.preview(at('/endless'))).toEqual({ card: null, reason: 'no-title' });
    await previewer.close();
    await sleep(100);
    expect(site.cutShort).toBeGreaterThan(0);
  });

  it('gives up on a slow page at the time limit', async () => {
    const previewer = make({ timeoutMs: 400 });
    const started = Date.now();
    expect(await previewer.preview(at('/slow'))).toEqual({ card: null, reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_500);
    await previewer.close();
  });

  it('reads only HTML: JSON and compressed answers are refused', async () => {
    const previewer = make();
    expect(await previewer.preview(at('/json'))).toEqual({ card: null, reason: 'wrong-type' });
    expect(await previewer.preview(at('/gzip'))).toEqual({ card: null, reason: 'wrong-type' });
    await previewer.close();
  });

  it('fetches at most 2 pages of one host at once, and drops what would wait past the queue', async () => {
    const previewer = make({ perHostConcurrency: 2, maxQueued: 3 });
    slowish.most = 0;
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => previewer.preview(at(`/slowish/${i}`))));
    // Two run, three wait, the sixth finds the queue full.
    expect(slowish.most).toBe(2);
    expect(outcomes.filter((o) => o.card === null && o.reason === 'busy')).toHaveLength(1);
    expect(outcomes.filter((o) => o.card?.title === 'ok')).toHaveLength(5);
    await previewer.close();
  });
});
