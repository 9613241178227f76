import { charCount, MESSAGE_MAX } from '@chat/api/schemas';

/** Show the counter once this much of the limit is used, so it does not nag short messages. */
const COUNTER_FROM = 0.8;

export interface ComposerCheck {
  /** Code points after trimming, as the server counts. */
  length: number;
  remaining: number;
  canSend: boolean;
  showCounter: boolean;
  tooLong: boolean;
}

export function checkDraft(draft: string): ComposerCheck {
  const length = charCount(draft.trim());
  const remaining = MESSAGE_MAX - length;
  return {
    length,
    remaining,
    canSend: length > 0 && remaining >= 0,
    showCounter: length >= MESSAGE_MAX * COUNTER_FROM,
    tooLong: remaining < 0,
  };
}

/** Adds "@name " at the end of the draft, with a space before it when needed. */
export function appendMention(draft: string, username: string): string {
  const mention = `@${username} `;
  if (!draft) return mention;
  return /\s$/.test(draft) ? draft + mention : `${draft} ${mention}`;
}
