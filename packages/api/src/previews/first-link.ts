// The link a message's preview is made for: its first http(s) URL, as the web's linkifier would
// show it (apps/web/src/text/linkify.ts): a URL ends at whitespace or a quote/angle bracket, and
// trailing punctuation that usually closes the sentence is not part of it.

const URL_START = /https?:\/\/[^\s<>"'`]+/i;
const TRAILING = /[.,;:!?)\]}*_~]+$/;

/** The URL of the first http(s) link in `text`, or null; only URLs the WHATWG parser accepts, at most 2,048 characters. */
export function firstLink(text: string): string | null {
  const match = URL_START.exec(text);
  if (!match) return null;
  let candidate = match[0];
  // Keep a closing bracket that closes one opened inside the URL (Wikipedia's "Foo_(bar)").
  while (TRAILING.test(candidate)) {
    const last = candidate[candidate.length - 1]!;
    if (last === ')' && count(candidate, '(') >= count(candidate, ')')) break;
    candidate = candidate.slice(0, -1);
  }
  if (candidate.length > 2048) return null;
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? candidate : null;
  } catch {
    return null;
  }
}

const count = (s: string, c: string) => s.split(c).length - 1;
