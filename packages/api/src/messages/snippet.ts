/** Marks the repository's headline puts around matches; normalizeText strips control characters, so text never holds them. */
const START = '\u0002';
const STOP = '\u0003';

/** A headline with marked matches as segments, adjacent ones of a kind merged, empty ones dropped. */
export function snippetSegments(headline: string): { text: string; match: boolean }[] {
  const segments: { text: string; match: boolean }[] = [];
  const push = (text: string, match: boolean) => {
    if (text === '') return;
    const last = segments.at(-1);
    if (last && last.match === match) last.text += text;
    else segments.push({ text, match });
  };
  let match = false;
  let from = 0;
  for (let i = 0; i < headline.length; i++) {
    const c = headline[i];
    if (c !== START && c !== STOP) continue;
    push(headline.slice(from, i), match);
    match = c === START;
    from = i + 1;
  }
  push(headline.slice(from), match);
  return segments;
}
