import { MESSAGE_MAX } from '@chat/api/schemas';
import { describe, expect, it } from 'vitest';
import { appendMention, checkDraft } from './composer-state';

describe('checkDraft', () => {
  it('refuses empty and whitespace-only drafts', () => {
    expect(checkDraft('   \n ').canSend).toBe(false);
  });

  it('counts emoji as one character each, like the server', () => {
    expect(checkDraft('🔥🔥').length).toBe(2);
  });

  it('shows the counter near the limit and refuses past it', () => {
    expect(checkDraft('a'.repeat(100)).showCounter).toBe(false);
    const near = checkDraft('a'.repeat(MESSAGE_MAX));
    expect(near).toMatchObject({ showCounter: true, canSend: true, remaining: 0 });
    expect(checkDraft('a'.repeat(MESSAGE_MAX + 1))).toMatchObject({ canSend: false, tooLong: true, remaining: -1 });
  });
});

describe('appendMention', () => {
  it('adds a mention with the right spacing', () => {
    expect(appendMention('', 'ada')).toBe('@ada ');
    expect(appendMention('hi', 'ada')).toBe('hi @ada ');
    expect(appendMention('hi ', 'ada')).toBe('hi @ada ');
  });
});
