import { type Orm, repositoriesFor } from '@chat/db';
import { type ChatMessage, toChatMessage } from '../shapes';

const PAGE = 200;

/**
 * Every stored message with an id above `after`, oldest first, a page at a time. Each page gets
 * its own short-lived EntityManager fork, so a long-lived reader holds none between pages.
 */
export async function* messagesAfter(orm: Orm, after: bigint): AsyncGenerator<ChatMessage> {
  let cursor = after;
  for (;;) {
    const page = await repositoriesFor(orm.em.fork()).messages.listAfter(cursor.toString(), PAGE);
    for (const record of page) {
      cursor = BigInt(record.id);
      yield toChatMessage(record);
    }
    if (page.length < PAGE) return;
  }
}
