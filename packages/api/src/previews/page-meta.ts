// What a page says about itself, read from its <head>: Open Graph, Twitter card and <title>/<meta
// name="description">. A small scanner instead of an HTML parser: it only looks for these tags, moves
// forward only (linear in the bytes read, whatever the page holds), and stops at <body>.

export interface PageMeta {
  title?: string;
  description?: string;
  siteName?: string;
  /** As written in the page (may be relative). */
  image?: string;
  imageWidth?: number;
  imageHeight?: number;
}

const MAX_TAG = 4096;

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Decodes the entities a title or description usually holds; anything else stays as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z0-9]{2,8});/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#')) {
      const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[lower] ?? whole;
  });
}

const SPACE = /\s/;
const NAME_END = /[\s"'<>/=]/;

/**
 * The attributes of one tag's text (`<meta a="b" c='d' e=f>`), names lower-cased, first one wins.
 * A scanner that only moves forward (a regex here backtracked quadratically on a long run of name characters).
 */
function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  const n = tag.length;
  let i = 0;
  while (i < n) {
    while (i < n && (SPACE.test(tag[i]!) || tag[i] === '/')) i++;
    const start = i;
    while (i < n && !NAME_END.test(tag[i]!)) i++;
    const name = tag.slice(start, i).toLowerCase();
    while (i < n && SPACE.test(tag[i]!)) i++;
    if (tag[i] !== '=') {
      // A name without a value, or a stray character: step over it.
      if (i === start) i++;
      continue;
    }
    i++;
    while (i < n && SPACE.test(tag[i]!)) i++;
    let value: string;
    const quote = tag[i];
    if (quote === '"' || quote === "'") {
      const end = tag.indexOf(quote, i + 1);
      if (end < 0) break;
      value = tag.slice(i + 1, end);
      i = end + 1;
    } else {
      const from = i;
      while (i < n && !SPACE.test(tag[i]!) && tag[i] !== '>') i++;
      value = tag.slice(from, i);
    }
    if (name && !found.has(name)) found.set(name, decodeEntities(value));
  }
  return found;
}

/** Reads the head's metadata from `html` (already cut at the size limit). */
export function readPageMeta(html: string): PageMeta {
  const meta = new Map<string, string>();
  let title: string | undefined;
  let i = 0;
  while (i < html.length) {
    const open = html.indexOf('<', i);
    if (open < 0) break;
    const rest = html.slice(open + 1, open + 10).toLowerCase();
    if (rest.startsWith('!--')) {
      const end = html.indexOf('-->', open + 4);
      if (end < 0) break;
      i = end + 3;
      continue;
    }
    const skipTo = rest.startsWith('script') ? '</script' : rest.startsWith('style') ? '</style' : rest.startsWith('template') ? '</template' : null;
    if (skipTo) {
      const end = indexOfCaseless(html, skipTo, open + 1);
      if (end < 0) break;
      i = end + skipTo.length;
      continue;
    }
    if (rest.startsWith('body') || rest.startsWith('/head')) break;
    const close = html.indexOf('>', open + 1);
    if (close < 0) break;
    if (/^meta[\s/>]/.test(rest) && close - open <= MAX_TAG) {
      const attrs = attributes(html.slice(open + 5, close));
      const key = (attrs.get('property') ?? attrs.get('name') ?? '').toLowerCase();
      const content = attrs.get('content');
      if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
    } else if (/^title[\s>]/.test(rest) && title === undefined) {
      const end = indexOfCaseless(html, '</title', close + 1);
      if (end < 0) break;
      title = decodeEntities(html.slice(close + 1, end));
      i = end + 7;
      continue;
    }
    i = close + 1;
  }
  const pick = (...keys: string[]) => keys.map((k) => clean(meta.get(k))).find((v) => v !== undefined);
  const result: PageMeta = {};
  const set = <K extends keyof PageMeta>(key: K, value: PageMeta[K] | undefined) => {
    if (value !== undefined) result[key] = value;
  };
  set('title', pick('og:title', 'twitter:title') ?? clean(title));
  set('description', pick('og:description', 'twitter:description', 'description'));
  set('siteName', pick('og:site_name', 'application-name'));
  set('image', pick('og:image:secure_url', 'og:image', 'og:image:url', 'twitter:image', 'twitter:image:src'));
  set('imageWidth', dimension(meta.get('og:image:width')));
  set('imageHeight', dimension(meta.get('og:image:height')));
  return result;
}

/** `needle` (ASCII letters and '/' only) from `from` on, in any case: a search from there, not a copy of the page per call. */
function indexOfCaseless(haystack: string, needle: string, from: number): number {
  const pattern = new RegExp(needle.replace('/', '\\/'), 'gi');
  pattern.lastIndex = from;
  return pattern.exec(haystack)?.index ?? -1;
}

/** Whitespace collapsed, control characters out; undefined when nothing is left. */
function clean(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > 0 ? text : undefined;
}

function dimension(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*[0-9]{1,5}\s*$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 && n <= 20_000 ? n : undefined;
}
