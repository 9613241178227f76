import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventRecord, LinkPreviewRecord } from '../records';
import type { ProcessedAttachment } from './attachment.repository';
import { appendEvent, type Exec, lockedTransaction } from './locked';
import { memberNow } from './reader-access';
import { EVERYONE_ROOM_ID } from './room.repository';

// (No jsonb `?` operator here: knex would take it for a binding.)
// A message's link preview (docs/decisions/138-link-previews.md): written after the message, by the
// fetch that runs outside the send, and taken away by its author. Each change is one message.preview
// event, rendered from the message's state when read (as message.edited is), so a deleted message's
// preview is gone from the event log too.

/**
 * Stores `card` as the preview of `messageId` with its message.preview event, only if the message is
 * not deleted, its text still holds the card's link, and it has no preview (or removal mark) for that
 * link already: a fetch that finishes after an edit, a delete or the author's removal writes nothing.
 * `image` is the card's image stored as file `id` (a 'preview' row made by beginPreviewImage): it is
 * completed and named in the card in the same transaction, and the image of a card this one replaces
 * is dropped (docs/decisions/141-preview-images-stored.md). When nothing is stored the caller discards it.
 */
export function storePreview(
  em: EntityManager,
  input: { messageId: string; card: LinkPreviewRecord; image?: { id: string; processed: Extract<ProcessedAttachment, { kind: 'image' }> } },
): Promise<EventRecord | null> {
  return lockedTransaction(em, async (exec) => {
    let card = input.card;
    if (input.image && card.image) {
      const { id, processed } = input.image;
      const completed = await exec<unknown[]>(
        `update attachments set type = ?, size = ?, kind = 'image', width = ?, height = ?, animated = ?, thumbnail = ?::jsonb
          where id = ? and message_id = ? and status = 'preview' and type is null returning id`,
        [processed.type, processed.size, processed.width, processed.height, processed.animated, JSON.stringify(processed.thumbnail), id, input.messageId],
      );
      // The row went with a delete of the message meanwhile: the update below finds nothing either.
      if (completed.length > 0) card = { ...card, image: { ...card.image, attachmentId: id, width: processed.width, height: processed.height } };
    }
    const updated = await exec<{ room_id: string; author_id: string }[]>(
      `update messages m set preview = ?::jsonb
        where m.id = ? and m.deleted_at is null and strpos(m.text, ?) > 0 and (m.preview is null or m.preview->>'url' is distinct from ?)
        returning m.room_id, m.author_id`,
      [JSON.stringify(card), input.messageId, card.url, card.url],
    );
    const row = updated[0];
    if (!row) return null;
    await dropStalePreviewImages(exec, input.messageId);
    return appendEvent(exec, { type: 'message.preview', roomId: row.room_id, userId: row.author_id, messageId: input.messageId });
  });
}

/**
 * Deletes the stored preview images of `messageId` its current card does not name (replaced by an
 * edit's new link, removed by the author); the trigger queues their bytes. An image still being
 * made (type null) is left to its own storePreview, which discards it if it is not used.
 */
export async function dropStalePreviewImages(exec: Exec, messageId: string): Promise<void> {
  await exec(DROP_STALE_PREVIEW_IMAGES, [messageId]);
}

/** dropStalePreviewImages' statement (its one `?`: the message), for a caller that folds it into another. */
export const DROP_STALE_PREVIEW_IMAGES = `delete from attachments a where a.message_id = ? and a.status = 'preview' and a.type is not null
      and a.id is distinct from (select m.preview->'image'->>'attachmentId' from messages m where m.id = a.message_id)`;

/**
 * The author takes the preview away: it becomes a removal mark for its link (`link`, the text's first
 * link, when no card came yet), so a fetch still under way cannot bring it back. Null when nothing
 * changed: not theirs, deleted, no longer a member, or removed already.
 */
export function removePreview(em: EntityManager, input: { messageId: string; authorId: string; link: string | null }): Promise<EventRecord | null> {
  return lockedTransaction(em, async (exec) => {
    const updated = await exec<{ room_id: string }[]>(
      `update messages m set preview = jsonb_build_object('url', coalesce(m.preview->>'url', ?::text), 'removed', true)
        where m.id = ? and m.author_id = ? and m.deleted_at is null and m.preview->>'removed' is null
          and (m.preview is not null or ?::text is not null)
          and (m.room_id = '${EVERYONE_ROOM_ID}' or ${memberNow('m.room_id')})
        returning m.room_id`,
      [input.link, input.messageId, input.authorId, input.link, input.authorId],
    );
    const row = updated[0];
    if (!row) return null;
    await dropStalePreviewImages(exec, input.messageId);
    return appendEvent(exec, { type: 'message.preview', roomId: row.room_id, userId: input.authorId, messageId: input.messageId });
  });
}
