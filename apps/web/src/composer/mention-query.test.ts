import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { insertMention, mentionAt, rankByName } from './mention-query';

describe('mentionAt', () => {
  it('finds the @name at the caret, as the server will read it', () => {
    expect(mentionAt('hi @gr', 6)).toEqual({ start: 3, end: 6, query: 'gr' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, end: 1, query: '' });
    expect(mentionAt('(@ada', 5)).toEqual({ start: 1, end: 5, query: 'ada' });
    // An address, a word without "@", a caret past a space: no mention.
    expect(mentionAt('me@example', 10)).toBeNull();
    expect(mentionAt('hello', 5)).toBeNull();
    expect(mentionAt('@ada ', 5)).toBeNull();
    expect(mentionAt(`@${'a'.repeat(33)}`, 34)).toBeNull();
  });
});

describe('insertMention', () => {
  it('replaces the typed letters with the whole name and one space, the caret after it', () => {
    const q = mentionAt('hi @gr and more', 6)!;
    expect(insertMention('hi @gr and more', q, 'grace.hopper')).toEqual({ text: 'hi @grace.hopper and more', caret: 17 });
    expect(insertMention('@g', mentionAt('@g', 2)!, 'grace')).toEqual({ text: '@grace ', caret: 7 });
  });

  it('keeps the text around the mention as it was, and the inserted name is what mentionAt then finds', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{2,31}$/);
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[A-Za-z0-9_.-]{0,10}$/), fc.string(), name, (before, typed, after, username) => {
        const head = `${before} @${typed}`;
        const q = mentionAt(head + after, head.length);
        fc.pre(q !== null);
        const out = insertMention(head + after, q!, username);
        expect(out.text.startsWith(`${before} @${username} `)).toBe(true);
        expect(out.text.endsWith(after)).toBe(true);
        expect(mentionAt(out.text, q!.start + 1 + username.length)).toEqual({ start: q!.start, end: q!.start + 1 + username.length, query: username });
      }),
    );
  });
});

describe('rankByName', () => {
  it('finds people by their display names too, ranked as by username', () => {
    const users = [{ username: 'rob', displayName: 'Robert Names' }, { username: 'ann' }, { username: 'zed', displayName: 'Anna Z' }];
    expect(rankByName(users, 'ann', 10).map((u) => u.username)).toEqual(['ann', 'zed']);
    expect(rankByName(users, 'names', 10).map((u) => u.username)).toEqual(['rob']);
  });

  it('puts names that start with the query first', () => {
    const users = ['bgrace', 'grace', 'ada', 'Gregory'].map((username) => ({ username }));
    expect(rankByName(users, 'gr', 10).map((u) => u.username)).toEqual(['grace', 'Gregory', 'bgrace']);
    expect(rankByName(users, '', 2).map((u) => u.username)).toEqual(['ada', 'bgrace']);
  });
});
