import { expect, it } from 'vitest';
import { repositoriesFor } from '../orm';
import { useMigratedDatabase } from '../test-database';
import { EVERYONE_ROOM_ID } from './room.repository';

const database = useMigratedDatabase({ poolMax: 12 });

it('commits concurrent appends in id order, so no smaller id ever becomes visible after a larger one', async () => {
  const author = await repositoriesFor(database.orm.em.fork()).users.insertIfUsernameFree({ username: 'writer', passwordHash: 'x' });
  // A watcher reads "everything after the last id I saw" in a tight loop while 10 writers append.
  const seen: bigint[] = [];
  let done = false;
  const watcher = (async () => {
    const repos = repositoriesFor(database.orm.em.fork());
    let last = 0n;
    while (!done) {
      for (const m of await repos.messages.listAfter(last.toString(), 1000)) {
        seen.push(BigInt(m.id));
        last = BigInt(m.id);
      }
    }
  })();
  await Promise.all(
    Array.from({ length: 10 }, async (_, w) => {
      const repos = repositoriesFor(database.orm.em.fork());
      for (let i = 0; i < 20; i++) await repos.messages.append({ authorId: author!.id, text: `${w}:${i}`, clientMessageId: null });
    }),
  );
  done = true;
  await watcher;
  const rest = await repositoriesFor(database.orm.em.fork()).messages.listAfter((seen.at(-1) ?? 0n).toString(), 1000);
  seen.push(...rest.map((m) => BigInt(m.id)));
  // A resuming reader that skipped a late-committing smaller id would see fewer than all 200.
  expect(seen).toHaveLength(200);
  expect(new Set(seen).size).toBe(200);
});

it('a send retried with the same clientMessageId is stored once and answered with the stored message, by append and appendDetailed alike', async () => {
  const repos = repositoriesFor(database.orm.em.fork());
  const author = (await repos.users.insertIfUsernameFree({ username: 'retrier', passwordHash: 'x' }))!.id;
  await repos.rooms.joinEveryone(author);
  const first = await repos.messages.append({ authorId: author, text: 'hello', clientMessageId: 'retry-1' });
  const again = await repos.messages.append({ authorId: author, text: 'hello', clientMessageId: 'retry-1' });
  const detailed = await repos.messages.appendDetailed({ authorId: author, roomId: EVERYONE_ROOM_ID, text: 'hello', clientMessageId: 'retry-1', replyTo: null, mentionNames: [] });
  if (first.refused || again.refused || detailed.refused) throw new Error('expected answers');
  expect(first.created).toBe(true);
  expect([again, detailed].map((a) => [a.created, a.eventId, a.message.id])).toEqual([
    [false, null, first.message.id],
    [false, null, first.message.id],
  ]);
  const stored = await database.orm.em.fork().execute<{ n: number; events: number }[]>(
    `select count(*)::int as n, (select count(*)::int from events e where e.type = 'message.created' and e.user_id = ?) as events from messages where author_id = ?`,
    [author, author],
  );
  expect(stored[0]).toEqual({ n: 1, events: 1 });
});
