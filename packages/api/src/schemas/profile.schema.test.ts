import { describe, expect, it } from 'vitest';
import { displayNameSchema, statusInputSchema, updateProfileInput } from './profile.schema';

const name = (text: string) => displayNameSchema.safeParse(text);

describe('display names', () => {
  it('are one line: white space collapsed, NFC, trimmed', () => {
    expect(name('  Ada \n\t Lovelace  ').data).toBe('Ada Lovelace');
    expect(name('Cafe\u0301').data).toBe('Café');
    expect(name('').data).toBe('');
    // White space of any kind (a no-break space, a BOM) is a space.
    expect(name('a\u00A0\uFEFFb').data).toBe('a b');
  });

  it('keep other scripts, accents and emoji with their joiner', () => {
    for (const ok of ['Łukasz Ωμέγα', 'محمد', 'नमस्ते', '👩‍💻 Dev', 'Ngọc Ánh', '🇫🇷 Jean']) expect([ok, name(ok).success]).toEqual([ok, true]);
  });

  it('refuse direction changes, invisible characters, Zalgo, no letter, and more than 64 characters', () => {
    const refused = [
      'evil\u202Egnp.exe',
      'a\u202Ab',
      'a\u2067b',
      'a\u200Eb',
      'a\u061Cb',
      'ad\u200Bmin',
      'ad\u200Dmin', // a joiner between letters
      'a\u2060b',
      'soft\u00ADhyphen',
      '\u3164',
      'a\u{E0041}b',
      `Z${'\u0300\u0301\u0302\u0303'}algo`,
      '!!! ???',
      'x'.repeat(65),
      'x'.repeat(10_000),
    ];
    for (const text of refused) expect([text.slice(0, 16), name(text).success]).toEqual([text.slice(0, 16), false]);
    expect(name('x'.repeat(64)).success).toBe(true);
    expect(name('😀'.repeat(64)).success).toBe(false);
  });
});

describe('statuses', () => {
  const soon = () => new Date(Date.now() + 60_000).toISOString();
  it('need a text or an emoji, at most 100 characters, and an expiry in the future within a year', () => {
    expect(statusInputSchema.safeParse({ text: 'lunch', emoji: null, expiresAt: soon() }).success).toBe(true);
    expect(statusInputSchema.safeParse({ text: '', emoji: '🌴', expiresAt: null }).success).toBe(true);
    expect(statusInputSchema.safeParse({ text: '  ', emoji: null, expiresAt: null }).success).toBe(false);
    expect(statusInputSchema.safeParse({ text: 's'.repeat(101), emoji: null, expiresAt: null }).success).toBe(false);
    expect(statusInputSchema.safeParse({ text: 'x', emoji: null, expiresAt: new Date(Date.now() - 1000).toISOString() }).success).toBe(false);
    expect(statusInputSchema.safeParse({ text: 'x', emoji: null, expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() }).success).toBe(false);
    expect(statusInputSchema.safeParse({ text: 'x\u202E', emoji: null, expiresAt: null }).success).toBe(false);
  });
});

describe('updateProfileInput', () => {
  it('takes each field alone, null to clear, and refuses unknown keys and unknown time zones', () => {
    expect(updateProfileInput.safeParse({}).success).toBe(true);
    expect(updateProfileInput.safeParse({ displayName: null, status: null, timeZone: null }).success).toBe(true);
    expect(updateProfileInput.safeParse({ timeZone: 'America/Argentina/Buenos_Aires' }).success).toBe(true);
    expect(updateProfileInput.safeParse({ timeZone: 'Mars/Olympus' }).success).toBe(false);
    expect(updateProfileInput.safeParse({ displayName: 'x', role: 'owner' }).success).toBe(false);
  });
});
