import { describe, expect, it } from 'vitest';
import { canonicalEmoji } from './emoji-set';

describe('canonicalEmoji', () => {
  it('accepts one emoji of the set, skin tones, flags and ZWJ sequences, written as emojibase writes them', async () => {
    // Emojibase adds VS16 to a lone code point; the picker sends that form, so it is the stored one.
    expect(await canonicalEmoji('👍')).toBe('👍\uFE0F');
    expect(await canonicalEmoji('👍\uFE0F')).toBe('👍\uFE0F');
    expect(await canonicalEmoji('👍🏿')).toBe('👍🏿');
    expect(await canonicalEmoji('🇯🇵')).toBe('🇯🇵');
    expect(await canonicalEmoji('👩‍💻')).toBe('👩‍💻');
    expect(await canonicalEmoji('❤')).toBe('❤️');
    expect(await canonicalEmoji('❤️')).toBe('❤️');
  });

  it('refuses text, two emoji, components alone and padding', async () => {
    for (const text of ['', 'a', '👍👍', '🏽', '🇦', ' 👍', ':+1:', '\u200D']) expect(await canonicalEmoji(text), text).toBeNull();
  });
});
