import type { z } from 'zod';
import { DomainError } from '../errors';
import { publishEvents } from '../events/publish';
import { firstLink } from '../previews/first-link';
import type { removePreviewInput } from '../schemas/chat.schema';
import { type ChatMessage, toChatMessage } from '../shapes';
import type { CallDeps } from './deps';
import { messageNotFound } from './message.service';

/** What a user does to a link preview (docs/decisions/138-link-previews.md); making them is preview-start.ts. */
export function createLinkPreviewService(call: CallDeps) {
  return {
    /**
     * The author takes their message's preview away, for good: a fetch still under way cannot bring
     * it back, and edits keep it away while the first link stays the same. Others get FORBIDDEN.
     */
    async remove(user: { id: string }, { messageId }: z.output<typeof removePreviewInput>): Promise<ChatMessage> {
      await call.limits.consumeMessage(user.id);
      const target = await call.repos.messages.findTarget(messageId, user.id);
      if (!target) throw messageNotFound();
      if (target.authorId !== user.id) throw new DomainError('FORBIDDEN', 'Only the author of a message can remove its preview');
      if (target.deleted) throw new DomainError('BAD_REQUEST', 'This message was deleted; it has no preview');
      const event = await call.repos.messages.removePreview({ messageId, authorId: user.id, link: firstLink(target.text) });
      if (event) publishEvents(call.bus, [event]);
      // The card's stored image went with it (decision 141): its bytes now.
      call.fileErasure.kick();
      const message = await call.repos.messages.findForReader(messageId, user.id);
      if (!message) throw messageNotFound();
      return toChatMessage(message);
    },
  };
}
