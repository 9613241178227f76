import { randomBytes } from 'node:crypto';
import { type LinkPreviewRecord, repositoriesFor } from '@chat/db';
import { publishEvents } from '../events/publish';
import { firstLink } from '../previews/first-link';
import type { ApiDeps } from './deps';

// Link previews (docs/decisions/138-link-previews.md): the card is fetched after the message is
// stored and answered, outside its transaction, and arrives as a message.preview event.

/**
 * Starts the preview of `text`'s first link for message `messageId`, unless previews are off or the
 * text has no link. Returns at once: the send's answer never waits for a fetch.
 */
export function startPreview(deps: ApiDeps, message: { messageId: string; text: string }): void {
  const previewer = deps.linkPreviews;
  const link = firstLink(message.text);
  if (!previewer || link === null) return;
  previewer.track(
    (async () => {
      const outcome = await previewer.preview(link);
      if (!outcome.card) return;
      const event = await storeCard(deps, message.messageId, outcome.card, outcome.image);
      if (event) publishEvents(deps.bus, [event]);
    })().catch(deps.onBackgroundError),
  );
}

/**
 * Stores the card, and its image as a file of the message when there are bytes and a store
 * (docs/decisions/141-preview-images-stored.md). The image's row exists before its bytes, so a delete
 * of the message meanwhile erases them; an image refused or not used leaves nothing, and the card
 * goes without it: an image never costs a message its card.
 */
async function storeCard(deps: ApiDeps, messageId: string, card: LinkPreviewRecord, bytes: Buffer | undefined) {
  // Its own EntityManager fork: the call that started it has answered and may be gone.
  const repos = repositoriesFor(deps.orm.em.fork());
  if (!bytes || !deps.previewImages || !card.image) return repos.messages.storePreview({ messageId, card });
  const id = randomBytes(16).toString('hex');
  // Charged to the author's quota like an upload (at the fetched size until stored); a full quota costs the card its image only.
  if (!(await repos.attachments.beginPreviewImage({ id, messageId, size: bytes.length, quotaBytes: deps.files.quotaBytes }))) {
    return repos.messages.storePreview({ messageId, card });
  }
  let used = false;
  try {
    // A storage that fails costs the card its image, not the card.
    const processed = await deps.previewImages.store(id, bytes).catch((error: unknown) => (deps.onBackgroundError(error), null));
    const event = await repos.messages.storePreview({ messageId, card, ...(processed ? { image: { id, processed } } : {}) });
    used = event !== null && processed !== null;
    return event;
  } finally {
    if (!used) {
      await repos.attachments.discardPreviewImage(id);
      deps.fileErasure.kick();
    }
  }
}

/** Whether an edit from `before` to `after` changed the first link to another one (then it is fetched). */
export const linkChanged = (before: string, after: string) => {
  const link = firstLink(after);
  return link !== null && link !== firstLink(before);
};
