export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string } | { kind: 'mention'; text: string; username: string };

// http(s) only: a javascript: or data: "link" must never become an href.
const TOKEN = /(https?:\/\/[^\s<>"']+)|(^|[^\w@])@([A-Za-z0-9_.-]{3,32})/g;
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', ')', ']', '}', "'", '"']);

const count = (s: string, ch: string) => s.split(ch).length - 1;

/** Sentence punctuation after a URL is not part of it; a closing parenthesis that balances one inside is. */
function trimTrailing(url: string): string {
  let end = url.length;
  while (end > 0 && TRAILING.has(url[end - 1] ?? '')) {
    const head = url.slice(0, end);
    if (url[end - 1] === ')' && count(head, '(') >= count(head, ')')) break;
    end--;
  }
  return url.slice(0, end);
}

/** Splits message text into plain text, safe http(s) links and @mentions; never HTML. */
export function segmentText(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  const pushText = (t: string) => {
    if (!t) return;
    const prev = out[out.length - 1];
    if (prev?.kind === 'text') prev.text += t;
    else out.push({ kind: 'text', text: t });
  };
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index;
    if (match[1]) {
      const url = trimTrailing(match[1]);
      let href: string | null = null;
      try {
        const parsed = new URL(url);
        if (parsed.protocol === 'http:' || parsed.protocol === 'https:') href = parsed.href;
      } catch {
        href = null;
      }
      pushText(text.slice(last, start));
      if (href) out.push({ kind: 'link', text: url, href });
      else pushText(url);
      last = start + url.length;
    } else {
      const lead = match[2] ?? '';
      const username = (match[3] ?? '').replace(/[.-]+$/, '');
      pushText(text.slice(last, start) + lead);
      out.push({ kind: 'mention', text: `@${username}`, username });
      last = start + lead.length + 1 + username.length;
    }
  }
  pushText(text.slice(last));
  return out;
}
