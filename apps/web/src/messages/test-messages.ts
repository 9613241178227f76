import type { ChatMessage } from '../api/trpc';

/** A message for tests; only the fields a test cares about need saying. */
export const msg = (id: string, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  text: `message ${id}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, Number(id) % 60)).toISOString(),
  author: { id: 'u-other', username: 'other' },
  clientMessageId: null,
  ...over,
});
