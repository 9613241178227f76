// The text of the seeded messages: sentences drawn from a fixed vocabulary with a Zipf-like word
// frequency, so search meets words in millions of messages and words in a handful. Deterministic
// (a seeded generator), so the years scenario knows which words are common and rare without a scan.

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same seed data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The head of the distribution: the words chat is made of, most frequent first.
const HEAD = `the i to you a and it is that of in for on me we this my so be have just what not are with
can do no but was at yes ok if all get will like go up now out about know one they there think how
when your it's good here want need time see lol thanks today meeting deploy build test release fix
bug review merge branch server client room message team lunch coffee tomorrow yesterday week friday
monday call sync update issue ticket plan idea doc link share check please sure sounds great nice
cool done work working again still yet maybe later soon back first last next new old big small fast slow`
  .split(/\s+/)
  .filter(Boolean);

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tu', 'va', 'zor', 'qui', 'bel', 'nox', 'dra', 'fen', 'gal', 'hep', 'jul', 'kir', 'mav', 'pol', 'sy', 'tre', 'ung', 'wex', 'yor', 'zim'];

export interface Vocabulary {
  words: string[];
  sentences: string[];
  /** The most frequent word: in a large share of all messages. */
  commonWord: string;
  /** A word in exactly one sentence (so in about messages/sentences messages). */
  rareWord: string;
}

/**
 * `wordCount` words (the head above, then made-up words from syllables for the long tail) and
 * `sentenceCount` sentences of 3–20 words, word rank r drawn with probability ∝ 1/r.
 */
export function vocabulary(sentenceCount = 50_000, wordCount = 30_000, seed = 26): Vocabulary {
  const random = seededRandom(seed);
  const words = [...HEAD];
  const seen = new Set(words);
  while (words.length < wordCount) {
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  // Inverse CDF of ∝ 1/r over 1..W: r = floor(W^u), a log-uniform rank.
  const lnW = Math.log(words.length);
  const counts = new Map<string, number>();
  const sentences: string[] = [];
  for (let s = 0; s < sentenceCount; s++) {
    const length = 3 + Math.floor(random() * 18);
    const picked: string[] = [];
    for (let i = 0; i < length; i++) picked.push(words[Math.min(words.length - 1, Math.floor(Math.exp(random() * lnW)) - 1)]!);
    for (const w of new Set(picked)) counts.set(w, (counts.get(w) ?? 0) + 1);
    sentences.push(picked.join(' '));
  }
  // Rare: the least used word of the tail that is used at all.
  let rareWord = words[0]!;
  for (let i = words.length - 1; i >= 0; i--)
    if (counts.get(words[i]!) === 1) {
      rareWord = words[i]!;
      break;
    }
  return { words, sentences, commonWord: words[0]!, rareWord };
}
