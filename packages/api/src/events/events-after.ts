import { type Orm, repositoriesFor } from '@chat/db';
import { type StoredEvent, toStoredEvent } from './stored-event';

const PAGE = 200;

/**
 * Every stored event with an id above `after`, oldest first, a page at a time; with `userId`, only
 * those that user may see, each judged at its own id. Each page gets its own short-lived
 * EntityManager fork, so a long-lived reader holds none between pages.
 */
export async function* eventsAfter(orm: Orm, after: string, userId: string | null = null): AsyncGenerator<StoredEvent> {
  let cursor = after;
  for (;;) {
    const events = repositoriesFor(orm.em.fork()).events;
    const page = userId === null ? await events.listAfter(cursor, PAGE) : await events.visibleAfter(userId, cursor, PAGE);
    for (const record of page) {
      cursor = record.id;
      yield toStoredEvent(record);
    }
    if (page.length < PAGE) return;
  }
}
