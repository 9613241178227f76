import type { MessageChange } from '@chat/client/core';
import { useCallback, useMemo } from 'react';
import { trpc } from '../api/trpc';
import { useOutbox } from '../outbox/OutboxContext';

export type MessageOps = ReturnType<typeof useMessageOps>;

const nothing = () => undefined;

/**
 * The user's changes to the messages of one room, wherever they show (the room's list, a thread):
 * edits and reactions through the account's outbox (decision 133), deletes and preview removals at
 * once. `change` applies the server's answer where the list can take it before the stream's event.
 */
export function useMessageOps(roomId: string, change: (c: MessageChange) => void = nothing) {
  const utils = trpc.useUtils();
  const outbox = useOutbox();

  /**
   * Saved through the outbox. While it is being sent now, the editor waits for the answer and shows
   * a refusal itself; queued behind others or offline, it resolves at once and lands later.
   */
  const edit = useCallback(
    async (messageId: string, text: string) => {
      const { item, result } = await outbox.deliver({ kind: 'edit', input: { messageId, text } }, roomId);
      if (outbox.items().find((q) => q.id === item.id)?.state.status !== 'sending') return;
      try {
        await result;
      } catch (error) {
        void outbox.discard(item.id);
        throw error;
      }
    },
    [outbox, roomId],
  );
  const remove = useCallback(
    async (messageId: string, reason?: string) => {
      const placeholder = await utils.client.chat.delete.mutate(reason === undefined ? { messageId } : { messageId, reason });
      if (placeholder.deleted) change({ type: 'message.deleted', messageId, deleted: placeholder.deleted });
    },
    [utils, change],
  );
  const removePreview = useCallback(
    async (messageId: string) => {
      await utils.client.chat.removePreview.mutate({ messageId });
      // At once, not only when the stream's message.preview arrives (which then changes nothing).
      change({ type: 'message.preview', messageId, preview: null });
    },
    [utils, change],
  );
  const react = useCallback((messageId: string, emoji: string, on: boolean) => outbox.add({ kind: 'react', input: { messageId, emoji, on } }, roomId).then(() => undefined), [outbox, roomId]);

  return useMemo(() => ({ edit, remove, removePreview, react }), [edit, remove, removePreview, react]);
}
