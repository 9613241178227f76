import { repositoriesFor } from '@chat/db';
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
      // Its own EntityManager fork: the call that started it has answered and may be gone.
      const event = await repositoriesFor(deps.orm.em.fork()).messages.storePreview({ messageId: message.messageId, card: outcome.card });
      if (event) publishEvents(deps.bus, [event]);
    })().catch(deps.onBackgroundError),
  );
}

/** Whether an edit from `before` to `after` changed the first link to another one (then it is fetched). */
export const linkChanged = (before: string, after: string) => {
  const link = firstLink(after);
  return link !== null && link !== firstLink(before);
};
