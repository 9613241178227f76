// The emoji a reaction may use (docs/decisions/100-message-lifecycle.md): Unicode's set as
// emojibase-data lists it, skin tones included; the web picker offers the same data, so the
// package's version is pinned to the same release in packages/api and apps/web.

const VS16 = /\uFE0F/g;

/** Emojibase groups that are not emoji on their own: 2 = components (skin tones, hair); none = regional indicator letters. */
const COMPONENT_GROUP = 2;

interface CompactEmoji {
  unicode: string;
  group?: number;
  skins?: CompactEmoji[];
}

let canonical: Promise<Map<string, string>> | null = null;

/** The set, read on first use (half a megabyte of JSON the server needs only once someone reacts). */
function load(): Promise<Map<string, string>> {
  canonical ??= import('emojibase-data/en/compact.json', { with: { type: 'json' } }).then(({ default: data }) => {
    const byKey = new Map<string, string>();
    const add = (e: CompactEmoji) => {
      if (e.group === undefined || e.group === COMPONENT_GROUP) return;
      byKey.set(e.unicode.replace(VS16, ''), e.unicode);
      for (const skin of e.skins ?? []) add({ ...skin, group: skin.group ?? e.group });
    };
    for (const e of data as CompactEmoji[]) add(e);
    return byKey;
  });
  return canonical;
}

/**
 * The emoji as emojibase writes it (its `unicode`: VS16 after a lone code point, e.g. "👍\uFE0F",
 * which is what a picker built on the same data sends), or null when `text` is not exactly one emoji
 * of the set. Variation selector 16 is ignored, so "❤" and "❤️" are the same reaction.
 */
export async function canonicalEmoji(text: string): Promise<string | null> {
  return (await load()).get(text.normalize('NFC').replace(VS16, '')) ?? null;
}
