import type { LinkPreviewRecord } from '@chat/db';
import { normalizeText } from '../schemas/text';
import { readPageMeta } from './page-meta';
import { checkImage } from './preview-image';
import { DEFAULT_NETWORK, type FetchRefusal, type PreviewNetwork, PreviewFetchError, safeFetch } from './safe-fetch';

// Makes preview cards (docs/decisions/138-link-previews.md): one fetch per URL at a time, a few at
// once in all and per host, results (refusals included) cached for a while, so messages full of
// links cannot turn the server into a scanner or a traffic amplifier.

export interface LinkPreviewOptions {
  /** Test-only: the resolver, allowed addresses and ports (defaults: DNS, public addresses, 80/443). */
  network?: Partial<PreviewNetwork>;
  /** Test-only: accept http:// images (production keeps https only, as the page would be mixed content). */
  allowHttpImages?: boolean;
  /** The whole fetch, redirects and the image included. Default 5 s. */
  timeoutMs?: number;
  /** Bytes of a page read at most. Default 512 KiB. */
  maxPageBytes?: number;
  /** Default 2 MiB. */
  maxImageBytes?: number;
  /** Default 3. */
  maxRedirects?: number;
  /** Fetches at once, in all (default 4) and per host (default 2). */
  concurrency?: number;
  perHostConcurrency?: number;
  /** Fetches waiting for a slot at most; more are dropped (no preview). Default 200. */
  maxQueued?: number;
  /** How long a card (or a refusal) is reused for the same URL. Default 10 minutes. */
  cacheTtlMs?: number;
  cacheEntries?: number;
  /** Image bytes the cache holds at most, all cards together; the oldest cards go first. Default 32 MiB. */
  cacheImageBytes?: number;
}

/** A card, with its image's bytes as fetched when it has one (stored re-encoded per message: decision 141). */
export type PreviewOutcome = { card: LinkPreviewRecord; image?: Buffer } | { card: null; reason: FetchRefusal | 'no-title' | 'busy' | 'closed' };

export interface LinkPreviewer {
  /** The card for `url` (as written in the message), or why there is none. Never rejects. */
  preview(url: string): Promise<PreviewOutcome>;
  /** Runs `task` (a preview and what is done with it) tracked, so `close` can wait for it. */
  track(task: Promise<unknown>): void;
  /** Aborts the fetches under way and waits for tracked tasks. */
  close(): Promise<void>;
}

export const PREVIEW_USER_AGENT = 'ChatLinkPreviewBot/1.0 (link previews for a chat server; fetches one page per shared link)';
const PAGE_TYPES = ['text/html', 'application/xhtml+xml'];

const cut = (text: string | undefined, max: number) => {
  if (text === undefined) return undefined;
  const chars = [...normalizeText(text)];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
};

export function createLinkPreviewer(options: LinkPreviewOptions = {}): LinkPreviewer {
  const network: PreviewNetwork = { ...DEFAULT_NETWORK, ...options.network };
  const timeoutMs = options.timeoutMs ?? 5_000;
  const ttl = options.cacheTtlMs ?? 10 * 60_000;
  const maxEntries = options.cacheEntries ?? 1_000;
  const maxImageBytes = options.cacheImageBytes ?? 32 * 1024 * 1024;
  let cachedImageBytes = 0;
  const limit = options.concurrency ?? 4;
  const perHost = options.perHostConcurrency ?? 2;
  const maxQueued = options.maxQueued ?? 200;
  const closing = new AbortController();
  const cache = new Map<string, { at: number; outcome: PreviewOutcome }>();
  const inFlight = new Map<string, Promise<PreviewOutcome>>();
  const tasks = new Set<Promise<unknown>>();
  const running = new Map<string, number>();
  let active = 0;
  const queue: { host: string; start: () => void }[] = [];

  /** Starts the first waiting fetch whose host has a free slot. */
  const pump = () => {
    while (active < limit) {
      const next = queue.findIndex((w) => (running.get(w.host) ?? 0) < perHost);
      if (next < 0) return;
      const [waiting] = queue.splice(next, 1);
      waiting!.start();
    }
  };

  const slot = (host: string) =>
    new Promise<(() => void) | null>((resolve) => {
      if (queue.length >= maxQueued) return resolve(null);
      queue.push({
        host,
        start: () => {
          active++;
          running.set(host, (running.get(host) ?? 0) + 1);
          resolve(() => {
            active--;
            const left = (running.get(host) ?? 1) - 1;
            if (left === 0) running.delete(host);
            else running.set(host, left);
            pump();
          });
        },
      });
      pump();
    });

  const fetchCard = async (link: string): Promise<PreviewOutcome> => {
    let host: string;
    try {
      host = new URL(link).hostname.toLowerCase();
    } catch {
      return { card: null, reason: 'bad-url' };
    }
    const release = await slot(host);
    if (!release) return { card: null, reason: 'busy' };
    const signal = AbortSignal.any([closing.signal, AbortSignal.timeout(timeoutMs)]);
    const fetchOptions = { network, maxRedirects: options.maxRedirects ?? 3, signal, userAgent: PREVIEW_USER_AGENT };
    try {
      const page = await safeFetch(link, { ...fetchOptions, types: PAGE_TYPES, maxBytes: options.maxPageBytes ?? 512 * 1024 });
      const html = decode(page.body, page.charset);
      const meta = readPageMeta(html);
      const title = cut(meta.title, 200);
      if (!title) return { card: null, reason: 'no-title' };
      const card: LinkPreviewRecord = { url: link, title };
      const description = cut(meta.description, 400);
      const siteName = cut(meta.siteName, 100);
      if (description) card.description = description;
      if (siteName) card.siteName = siteName;
      if (meta.image) {
        const declared = { ...(meta.imageWidth ? { width: meta.imageWidth } : {}), ...(meta.imageHeight ? { height: meta.imageHeight } : {}) };
        const image = await checkImage(meta.image, page.url, { ...fetchOptions, maxBytes: options.maxImageBytes ?? 2 * 1024 * 1024, allowHttp: options.allowHttpImages ?? false, declared });
        if (image) {
          const { bytes, ...shown } = image;
          card.image = shown;
          return { card, image: bytes };
        }
      }
      return { card };
    } catch (error) {
      if (error instanceof PreviewFetchError) return { card: null, reason: closing.signal.aborted ? 'closed' : error.reason };
      throw error;
    } finally {
      release();
    }
  };

  const imageSize = (outcome: PreviewOutcome) => (outcome.card ? (outcome.image?.length ?? 0) : 0);
  const forget = (link: string) => {
    const entry = cache.get(link);
    if (!entry) return;
    cachedImageBytes -= imageSize(entry.outcome);
    cache.delete(link);
  };

  const remember = (link: string, outcome: PreviewOutcome) => {
    if (outcome.card === null && (outcome.reason === 'busy' || outcome.reason === 'closed')) return;
    forget(link);
    cache.set(link, { at: Date.now(), outcome });
    cachedImageBytes += imageSize(outcome);
    // Oldest first (insertion order): drop the oldest beyond either bound.
    while (cache.size > maxEntries || (cachedImageBytes > maxImageBytes && cache.size > 0)) forget(cache.keys().next().value!);
  };

  return {
    preview(link) {
      if (closing.signal.aborted) return Promise.resolve({ card: null, reason: 'closed' });
      const hit = cache.get(link);
      if (hit && Date.now() - hit.at < ttl) return Promise.resolve(hit.outcome);
      const pending = inFlight.get(link);
      if (pending) return pending;
      const made = fetchCard(link)
        .catch((): PreviewOutcome => ({ card: null, reason: 'network' }))
        .then((outcome) => {
          remember(link, outcome);
          return outcome;
        })
        .finally(() => inFlight.delete(link));
      inFlight.set(link, made);
      return made;
    },
    track(task) {
      const tracked = task.catch(() => {}).finally(() => tasks.delete(tracked));
      tasks.add(tracked);
    },
    async close() {
      closing.abort();
      for (const waiting of queue.splice(0)) waiting.start();
      await Promise.all([...tasks]);
    },
  };
}

/** The page's text in its declared charset (UTF-8 when none or unknown); broken bytes become U+FFFD, never an error. */
function decode(body: Buffer, charset: string | null): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
