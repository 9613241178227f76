import { expect, it } from 'vitest';
import { repositoriesFor } from '../orm';
import { useMigratedDatabase } from '../test-database';
import { EVERYONE_ROOM_ID } from './room.repository';

const database = useMigratedDatabase({ poolMax: 4 });

const repos = () => repositoriesFor(database.orm.em.fork());
let counter = 0;
async function member(name: string) {
  const user = (await repos().users.insertIfUsernameFree({ username: `${name}${counter++}`, passwordHash: 'x' }))!;
  await repos().rooms.joinEveryone(user.id);
  return user;
}
const names = (...users: { username: string }[]) => users.map((u, position) => ({ name: u.username.toLowerCase(), position }));

it('keeps at most 20 mentions, in order of first appearance, and tells only those whose unread count changed on edit', async () => {
  const author = await member('author');
  const others: Awaited<ReturnType<typeof member>>[] = [];
  for (let i = 0; i < 22; i++) others.push(await member('m'));
  const sent = await repos().messages.appendDetailed({ authorId: author.id, roomId: EVERYONE_ROOM_ID, text: 'x', clientMessageId: null, replyTo: null, mentionNames: names(...others) });
  if (sent.refused) throw new Error('refused');
  expect(sent.message.mentions?.map((m) => m.id)).toEqual(others.slice(0, 20).map((o) => o.id));
  expect(sent.events.filter((e) => e.type === 'mentions.updated')).toHaveLength(20);
  // Keeps the first two, drops the rest, adds the 21st: 18 lose a mention, one gains it.
  const edited = await repos().messages.edit({ messageId: sent.message.id, authorId: author.id, text: 'y', mentionNames: names(others[0]!, others[1]!, others[20]!) });
  const told = edited!.events.filter((e) => e.type === 'mentions.updated');
  expect(told).toHaveLength(19);
  expect(told.find((e) => e.userId === others[20]!.id)?.payload).toEqual({ mentions: 1 });
  expect(told.find((e) => e.userId === others[5]!.id)?.payload).toEqual({ mentions: 0 });
  expect(told.some((e) => e.userId === others[0]!.id)).toBe(false);
});

it('refuses an edit or delete by anyone but the author, and a second delete, without writing anything', async () => {
  const author = await member('author');
  const other = await member('other');
  const appended = await repos().messages.append({ authorId: author.id, text: 'mine', clientMessageId: null });
  if (appended.refused) throw new Error('refused');
  const id = appended.message.id;
  const before = await repos().events.maxId();
  expect(await repos().messages.edit({ messageId: id, authorId: other.id, text: 'theirs', mentionNames: [] })).toBeNull();
  expect(await repos().messages.softDelete({ messageId: id, actorId: other.id, by: 'author' })).toBeNull();
  expect(await repos().events.maxId()).toBe(before);
  expect(await repos().messages.softDelete({ messageId: id, actorId: author.id, by: 'author' })).not.toBeNull();
  expect(await repos().messages.softDelete({ messageId: id, actorId: author.id, by: 'author' })).toBeNull();
  expect(await repos().messages.edit({ messageId: id, authorId: author.id, text: 'back', mentionNames: [] })).toBeNull();
});

it('purges an author’s messages in batches, oldest first, each with its message.deleted by a moderator, and stops when none are left', async () => {
  const author = await member('purged');
  const moderator = await member('mod');
  const named = await member('named');
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const sent = await repos().messages.appendDetailed({ authorId: author.id, roomId: EVERYONE_ROOM_ID, text: `spam ${i}`, clientMessageId: null, replyTo: null, mentionNames: i === 4 ? names(named) : [] });
    if (sent.refused) throw new Error('refused');
    ids.push(sent.message.id);
  }
  await repos().messages.softDelete({ messageId: ids[1]!, actorId: author.id, by: 'author' });
  const first = await repos().messages.purgeAuthor({ authorId: author.id, actorId: moderator.id, limit: 2 });
  expect(first.messageIds).toEqual([ids[0], ids[2]]);
  const second = await repos().messages.purgeAuthor({ authorId: author.id, actorId: moderator.id, limit: 2 });
  expect(second.messageIds).toEqual([ids[3], ids[4]]);
  // The mention of the last one goes, and its member is told their count changed.
  expect(second.events.map((e) => [e.type, e.messageId, e.userId, e.actorId ?? null, e.payload])).toEqual([
    ['message.deleted', ids[3], author.id, moderator.id, { at: expect.any(String), by: 'moderator' }],
    ['message.deleted', ids[4], author.id, moderator.id, { at: expect.any(String), by: 'moderator' }],
    ['mentions.updated', null, named.id, null, { mentions: 0 }],
  ]);
  expect(await repos().messages.purgeAuthor({ authorId: author.id, actorId: moderator.id, limit: 2 })).toEqual({ messageIds: [], events: [] });
  const rows = await database.orm.em.fork().execute<{ text: string; deleted_by: string }[]>('select text, deleted_by from messages where author_id = ? order by id', [author.id]);
  expect(rows.map((r) => [r.text, r.deleted_by])).toEqual([['', 'moderator'], ['', 'author'], ['', 'moderator'], ['', 'moderator'], ['', 'moderator']]);
});
