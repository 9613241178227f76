import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { initORM, migrate, type Orm, repositoriesFor } from '../orm';
import { createTestDatabase, type TestDatabase } from '../testing';
import { EVERYONE_ROOM_ID } from './room.repository';

let db: TestDatabase;
let orm: Orm;
beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'));
  orm = await initORM({ clientUrl: db.url, poolMax: 4 });
  await migrate(orm);
});
afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const repos = () => repositoriesFor(orm.em.fork());
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
  expect(await repos().messages.softDelete({ messageId: id, authorId: other.id, by: 'author' })).toBeNull();
  expect(await repos().events.maxId()).toBe(before);
  expect(await repos().messages.softDelete({ messageId: id, authorId: author.id, by: 'author' })).not.toBeNull();
  expect(await repos().messages.softDelete({ messageId: id, authorId: author.id, by: 'author' })).toBeNull();
  expect(await repos().messages.edit({ messageId: id, authorId: author.id, text: 'back', mentionNames: [] })).toBeNull();
});
